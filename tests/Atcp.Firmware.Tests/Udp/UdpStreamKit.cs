using Atcp.Firmware.Tcp;
using Atcp.Firmware.Tests.Tcp;
using Atcp.Firmware.Udp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.Udp;

/// <summary>Builds datagram streams over an in-memory object and sends them to the end.</summary>
static class UdpStreamKit
{
    public static readonly byte[] BoardMac = [0x02, 0xA7, 0xC9, 0, 0, 0x07];
    public static readonly byte[] ClientMac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
    public const uint ServiceIp = 0xC6120001; // 198.18.0.1
    public const uint ClientIp = 0xC6120064;  // 198.18.0.100
    public const ushort TransferPort = 50123;
    public const ushort ClientPort = 40000;

    public static AtcpCommandUdpRepr Command(int blockSize, int window = 4, AtcpDatagramFraming framing = AtcpDatagramFraming.TftpData,
        ulong rangeOffset = 0, ulong rangeLength = AtcpStream.RangeToEnd)
    {
        var c = new AtcpCommandUdpRepr
        {
            StreamId = 0x01020304,
            ClientAddress = ClientIp,
            ServiceAddress = ServiceIp,
            ClientPort = ClientPort,
            ServicePort = TransferPort,
            Ttl = 64,
            Framing = framing,
            BlockSize = (ushort)blockSize,
            WindowSize = (ushort)window,
            FirstBlock = 1,
            RetransmitTimeoutMs = 1000,
            MaxRetransmissions = 5,
            Opcode = AtcpServiceOpcode.SendDiskObject,
            RangeOffset = rangeOffset,
            RangeLength = rangeLength,
        };
        Array.Copy(ClientMac, c.ClientMac, 6);
        Array.Copy(ClientMac, c.NextHopMac, 6);
        c.Name.SetText("boot/kernel.img");
        return c;
    }

    public static (DatagramStream Stream, MemoryPayloadSource Source, byte[] Data) Make(int size, int chunk, AtcpCommandUdpRepr command)
    {
        var data = new byte[size];
        new Random(size + chunk).NextBytes(data);
        var source = new MemoryPayloadSource(data, chunk);
        var stream = new DatagramStream();
        Assert.Equal(AtcpServiceStatus.Accepted, stream.Start(command, BoardMac, source, 0));
        return (stream, source, data);
    }

    /// <summary>Every datagram of the stream, each window acknowledged at its last block.</summary>
    public static List<byte[]> SendAll(DatagramStream s, PseudoUdpPacketizer p)
    {
        var frames = new List<byte[]>();
        while (s.Sender.State == SenderState.Sending)
        {
            uint last = 0;
            while (s.Sender.NextBlock(0, out var block, out var offset, out var length, out _))
            {
                var frame = new byte[s.HeaderLength + length];
                Assert.Equal(Hal.BlockStatus.Ok, p.Build(s, block, offset, length, frame, 0));
                frames.Add(frame);
                last = block;
            }
            s.Sender.OnAck(last, 0);
        }
        return frames;
    }
}
