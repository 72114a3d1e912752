using Atcp.Firmware.Board;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Udp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>COMMAND_UDP streams (TFTP DATA from the board) through the board engine.</summary>
public class BoardEngine_DatagramStreams
{
    const int UdpAt = 34, TftpAt = 42;

    static AtcpCommandUdpRepr CommandUdp(uint stream, string name, int blockSize = 1460, int window = 4, int timeoutMs = 1000,
        byte maxRetransmissions = 3)
    {
        var c = new AtcpCommandUdpRepr
        {
            StreamId = stream, ClientAddress = BoardEngineHarness.ClientIp, ServiceAddress = BoardEngineHarness.ServiceIp,
            ClientPort = 40000, ServicePort = 50123, Ttl = 64, Framing = AtcpDatagramFraming.TftpData,
            BlockSize = (ushort)blockSize, WindowSize = (ushort)window, FirstBlock = 1, RetransmitTimeoutMs = (ushort)timeoutMs,
            MaxRetransmissions = maxRetransmissions, Opcode = AtcpServiceOpcode.SendDiskObject, Volume = 0,
            RangeOffset = 0, RangeLength = AtcpStream.RangeToEnd,
        };
        Array.Copy(BoardEngineHarness.ClientMac, c.ClientMac, 6);
        Array.Copy(BoardEngineHarness.ClientMac, c.NextHopMac, 6);
        Assert.Equal(ParseStatus.Ok, c.Name.SetText(name));
        return c;
    }

    static int Block(byte[] f) => (f[TftpAt + 2] << 8) | f[TftpAt + 3];

    /// <summary>Runs a TFTP client against the board: keeps in-order blocks (dropping those lose()
    /// picks on first sight), acknowledges the highest in-order block after each poll.</summary>
    static (byte[] Bytes, List<(AtcpMessageType Type, byte[] Frame, int Body, int Length)> Atcp) Download(BoardEngineHarness h,
        uint stream, int blockSize, Func<int, bool>? lose = null)
    {
        var bytes = new List<byte>();
        var messages = new List<(AtcpMessageType, byte[], int, int)>();
        uint expected = 1;
        int seen = 0;
        var firstSight = new HashSet<uint>();
        for (int p = 0; p < 100_000; p++)
        {
            h.Poll();
            var (atcp, _) = h.Take();
            messages.AddRange(atcp);
            if (atcp.Any(m => m.Type == AtcpMessageType.Done)) return (bytes.ToArray(), messages);
            bool any = false;
            foreach (var f in h.Datagrams)
            {
                Assert.True(UdpHeader.VerifyChecksum(BoardEngineHarness.ServiceIp, BoardEngineHarness.ClientIp, f, UdpAt, f.Length - UdpAt));
                Assert.Equal(3, (f[TftpAt] << 8) | f[TftpAt + 1]); // DATA
                uint block = (uint)Block(f);
                if (firstSight.Add(block) && lose != null && lose(seen++)) continue;
                any = true;
                if (block != (expected & 0xFFFF)) continue;
                bytes.AddRange(f.Skip(TftpAt + 4));
                expected++;
            }
            h.Datagrams.Clear();
            if (any) h.Send(new AtcpDatagramAckRepr { StreamId = stream, Block = expected - 1 });
            h.Now += 5;
        }
        throw new Xunit.Sdk.XunitException("download did not finish");
    }

    [Theory]
    [InlineData(10_000, 1460, 4)]
    [InlineData(2 * 1460, 1460, 1)] // a multiple of the block size: ends with an empty block
    [InlineData(0, 512, 8)]
    public void CommandUdp_ForAnObject_IsAccepted_SentAsTftpData_AndDone(int size, int blockSize, int window)
    {
        var h = new BoardEngineHarness(("boot/k.img", size));
        h.Send(CommandUdp(7, "boot/k.img", blockSize, window));
        var (bytes, atcp) = Download(h, 7, blockSize);
        var accepted = BoardEngineHarness.ServiceAck(atcp.First(m => m.Type == AtcpMessageType.ServiceAck));
        Assert.Equal(AtcpServiceStatus.Accepted, accepted.Status);
        Assert.Equal((ulong)size, accepted.ReplySize);
        Assert.Equal(h.Objects["boot/k.img"], bytes);
        var done = new AtcpDoneRepr();
        var d = atcp.Single(m => m.Type == AtcpMessageType.Done);
        Assert.Equal(ParseStatus.Ok, done.Parse(d.Frame, d.Body, d.Length));
        Assert.Equal((7u, (ulong)size), (done.StreamId, done.TotalBytes));
        Assert.Equal(0, h.Engine.ActiveDatagramStreams);
        Assert.Equal(1, h.Engine.Counters.StreamsCompleted);
    }

    [Fact]
    public void DatagramStreamInProgress_KeepsTheRunLoopAwake_UntilDone()
    {
        var h = new BoardEngineHarness(("boot/k.img", 5000));
        Assert.False(h.Engine.HasStreams);
        h.Send(CommandUdp(7, "boot/k.img", 1460, 1));
        h.Poll();
        Assert.Equal(0, h.Engine.ActiveStreams);
        Assert.True(h.Engine.HasStreams); // waiting for the client's ACK: the loop must poll, not sleep
        Download(h, 7, 1460);
        Assert.False(h.Engine.HasStreams);
    }

    [Fact]
    public void Datagrams_ComeFromTheServiceAddressAndTransferPort_ToTheNextHop()
    {
        var h = new BoardEngineHarness(("a.bin", 5000));
        h.Send(CommandUdp(7, "a.bin", 1460, 2));
        h.Poll();
        h.Take();
        Assert.Equal(2, h.Datagrams.Count); // the window
        var f = h.Datagrams[0];
        Assert.Equal(BoardEngineHarness.ClientMac, f[..6]);
        Assert.Equal(h.Config.Mac, f[6..12]);
        Assert.Equal(BoardEngineHarness.ServiceIp, NetworkOrder.ReadUInt32(f, 26));
        Assert.Equal(BoardEngineHarness.ClientIp, NetworkOrder.ReadUInt32(f, 30));
        Assert.Equal((ushort)50123, NetworkOrder.ReadUInt16(f, UdpAt));
        Assert.Equal((ushort)40000, NetworkOrder.ReadUInt16(f, UdpAt + 2));
        Assert.Equal(1, Block(f));
        Assert.Equal(TftpAt + 4 + 1460, f.Length);
    }

    [Fact]
    public void LostDatagrams_AreResentAfterTheTimeout_AndTheFileArrivesWhole()
    {
        var h = new BoardEngineHarness(("a.bin", 60_000));
        h.Send(CommandUdp(7, "a.bin", 1460, 8, timeoutMs: 50, maxRetransmissions: 10));
        var (bytes, _) = Download(h, 7, 1460, i => i % 7 == 3);
        Assert.Equal(h.Objects["a.bin"], bytes);
        Assert.True(h.Engine.Counters.Retransmissions > 0);
    }

    [Theory]
    [InlineData("missing.bin", AtcpServiceStatus.NotFound)]
    public void CommandUdp_ThatCannotBeServed_IsRefusedWithAStatus(string name, AtcpServiceStatus expected)
    {
        var h = new BoardEngineHarness(("a.bin", 1000));
        h.Send(CommandUdp(5, name));
        h.Poll();
        var (atcp, _) = h.Take();
        Assert.Empty(h.Datagrams);
        Assert.Equal(expected, BoardEngineHarness.ServiceAck(atcp.Single()).Status);
    }

    [Fact]
    public void RepeatedCommandUdp_GetsProgress_AndAfterDone_Complete()
    {
        var h = new BoardEngineHarness(("a.bin", 3000));
        h.Send(CommandUdp(9, "a.bin", 1460, 1));
        h.Poll();
        h.Take();
        h.Send(CommandUdp(9, "a.bin", 1460, 1));
        h.Poll();
        Assert.Equal(AtcpServiceStatus.InProgress, BoardEngineHarness.ServiceAck(h.Take().Atcp.Single()).Status);
        h.Datagrams.Clear();
        var messages = new List<(AtcpMessageType Type, byte[] Frame, int Body, int Length)>();
        for (uint b = 1; b <= 3; b++) { h.Send(new AtcpDatagramAckRepr { StreamId = 9, Block = b }); h.Poll(); messages.AddRange(h.Take().Atcp); }
        Assert.Contains(messages, m => m.Type == AtcpMessageType.Done);
        h.Send(CommandUdp(9, "a.bin", 1460, 1));
        h.Poll();
        Assert.Equal(AtcpServiceStatus.Complete, BoardEngineHarness.ServiceAck(h.Take().Atcp.Single()).Status);
    }

    [Fact]
    public void ClientStopsAcknowledging_DatagramStreamIsAbortedWithTimeout_AndTheSlotFreed()
    {
        var h = new BoardEngineHarness(("a.bin", 100_000));
        h.Send(CommandUdp(4, "a.bin", 1460, 4, timeoutMs: 100, maxRetransmissions: 2));
        var messages = new List<(AtcpMessageType Type, byte[] Frame, int Body, int Length)>();
        for (int i = 0; i < 100; i++) { h.Poll(); messages.AddRange(h.Take().Atcp); h.Now += 50; }
        var a = messages.First(m => m.Type == AtcpMessageType.Abort);
        var abort = new AtcpAbortRepr();
        Assert.Equal(ParseStatus.Ok, abort.Parse(a.Frame, a.Body, a.Length));
        Assert.Equal((4u, AtcpAbortReason.Timeout), (abort.StreamId, abort.Reason));
        Assert.Equal(0, h.Engine.ActiveDatagramStreams);
        Assert.Equal(1, h.Engine.Counters.StreamsFailed);
        Assert.Equal(3 * 4, h.Datagrams.Count); // first window and two resends of it
    }

    [Fact]
    public void AbortFromTheFrontEnd_FreesTheSlot_AndStopsTheDatagrams()
    {
        var h = new BoardEngineHarness(("a.bin", 100_000));
        h.Send(CommandUdp(4, "a.bin"));
        h.Poll();
        Assert.Equal(1, h.Engine.ActiveDatagramStreams);
        h.Send(new AtcpAbortRepr { StreamId = 4, Reason = AtcpAbortReason.ClientReset });
        h.Poll();
        h.Take();
        h.Datagrams.Clear();
        Assert.Equal(0, h.Engine.ActiveDatagramStreams);
        h.Now += 5000;
        h.Poll(3);
        h.Take();
        Assert.Empty(h.Datagrams);
    }

    [Fact]
    public void CommandUdp_WhenEveryDatagramSlotIsBusy_IsRefusedAsBusy_WhileTcpStreamsStillStart()
    {
        var h = new BoardEngineHarness(("a.bin", 1_000_000));
        for (uint i = 1; i <= BoardEngine.MaxDatagramStreams + 1; i++) h.Send(CommandUdp(i, "a.bin"));
        h.Send(h.Command(100, "a.bin"));
        h.Poll(3);
        var acks = h.Take().Atcp.Where(m => m.Type == AtcpMessageType.ServiceAck).Select(BoardEngineHarness.ServiceAck).ToList();
        Assert.Equal(AtcpServiceStatus.Busy, acks.Single(a => a.StreamId == BoardEngine.MaxDatagramStreams + 1).Status);
        Assert.Equal(AtcpServiceStatus.Accepted, acks.Single(a => a.StreamId == 100).Status);
        Assert.Equal(BoardEngine.MaxDatagramStreams, h.Engine.ActiveDatagramStreams);
    }

    [Fact]
    public void TcpAndDatagramStreams_ShareTheSendLoop()
    {
        var h = new BoardEngineHarness(("a.bin", 1_000_000));
        h.Send(h.Command(1, "a.bin"));
        h.Send(CommandUdp(2, "a.bin", 1460, 8));
        h.Poll(2);
        var (_, segments) = h.Take();
        Assert.NotEmpty(segments);
        Assert.Equal(8, h.Datagrams.Count); // a full window in spite of the busy TCP stream
    }
}
