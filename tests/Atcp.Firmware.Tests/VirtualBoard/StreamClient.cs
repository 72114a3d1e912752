using System.Diagnostics;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.TestSupport;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>What a stream delivered to the client.</summary>
public sealed class StreamResult
{
    /// <summary>The reply bytes in sequence order (prefix, then the object range).</summary>
    public byte[] Data = [];
    /// <summary>The first SERVICE_ACK (Accepted, or the refusal).</summary>
    public AtcpServiceAckRepr FirstAck = new();
    /// <summary>The DONE, when one came.</summary>
    public AtcpDoneRepr? Done;
    /// <summary>Every TCP segment, decoded (only when verifying).</summary>
    public List<DecodedFrame> Segments = [];
    /// <summary>The raw segment frames (only when verifying).</summary>
    public List<byte[]> Frames = [];
    /// <summary>TCP segments received (also when not verifying).</summary>
    public int SegmentCount;
    /// <summary>From COMMAND to DONE.</summary>
    public TimeSpan Elapsed;
}

/// <summary>Plays the client and the front-end's ACK relay for one stream: sends the COMMAND,
/// collects the board's pseudo-TCP segments, acknowledges each at once with a CLIENT_ACK
/// (cumulative, as the client's ACKs relayed by the front-end), and returns at DONE or a refusal.</summary>
public static class StreamClient
{
    /// <summary>The client's address (RFC 2544 benchmarking range).</summary>
    public const uint ClientAddress = 0xC6120102;  // 198.18.1.2
    /// <summary>The service address the board must use as source.</summary>
    public const uint ServiceAddress = 0xC6120001; // 198.18.0.1
    /// <summary>The next hop the segments must go to (the client's router).</summary>
    public static readonly byte[] NextHopMac = [0x02, 0x00, 0x5E, 0x00, 0x00, 0x09];

    /// <summary>A COMMAND for name on volume with the usual client parameters.</summary>
    public static AtcpCommandRepr Command(uint streamId, AtcpServiceOpcode opcode, byte volume, string name, string prefix = "")
    {
        var c = new AtcpCommandRepr
        {
            StreamId = streamId,
            ClientAddress = ClientAddress,
            ServiceAddress = ServiceAddress,
            ClientPort = 40000,
            ServicePort = 80,
            SequenceNumber = 0xFFFF0000, // crosses the 32-bit wrap early
            AckNumber = 0x11223344,
            ClientWindow = 65535,
            WindowScale = 7,
            Ttl = 64,
            ServiceWindow = 65535,
            Mss = 1460,
            Opcode = opcode,
            Volume = volume,
            RangeOffset = 0,
            RangeLength = ulong.MaxValue,
        };
        Array.Copy(NextHopMac, c.NextHopMac, 6);
        Array.Copy(new byte[] { 0x02, 0x00, 0x5E, 0x00, 0x01, 0x02 }, c.ClientMac, 6);
        Assert.Equal(ParseStatus.Ok, c.Name.SetText(name));
        Assert.Equal(ParseStatus.Ok, c.Prefix.SetText(prefix));
        return c;
    }

    /// <summary>Runs the stream to DONE (or a refusal) within limit. verify decodes every segment
    /// (checksums included); without it only sequence numbers and payloads are taken, so a
    /// throughput measurement measures the board rather than the test.</summary>
    public static StreamResult Fetch(BoardRig rig, AtcpCommandRepr command, long expectedLength, TimeSpan limit, bool verify = true)
    {
        var result = new StreamResult { Data = new byte[expectedLength] };
        long contiguous = 0;
        var ack = new AtcpClientAckRepr { StreamId = command.StreamId, ServiceAckNumber = command.AckNumber, Window = 65535, ServiceWindow = 65535 };
        var serviceAck = new AtcpServiceAckRepr();
        var segmentsByOffset = new SortedDictionary<long, int>();
        bool accepted = false;
        var watch = Stopwatch.StartNew();
        rig.FrontEnd.Send(command, rig.Mac);
        while (true)
        {
            var left = limit - watch.Elapsed;
            byte[]? frame = left > TimeSpan.Zero ? rig.FrontEnd.Take(left) : null;
            if (frame == null)
                throw new TimeoutException("stream " + command.StreamId + " not done within " + limit + ": " + contiguous + " of "
                    + expectedLength + " bytes acknowledged, " + result.SegmentCount + " segments");
            if (frame.Length > 14 && frame[12] == 0x08 && frame[13] == 0x00)
            {
                int ip = 14, tcp = ip + (frame[ip] & 0x0F) * 4;
                int payload = tcp + (frame[tcp + 12] >> 4) * 4;
                int totalLength = (frame[ip + 2] << 8) | frame[ip + 3];
                int length = ip + totalLength - payload;
                uint seq = NetworkOrder.ReadUInt32(frame, tcp + 4);
                long offset = (uint)(seq - command.SequenceNumber);
                result.SegmentCount++;
                if (verify)
                {
                    result.Segments.Add(DecodedFrame.Decode(frame));
                    result.Frames.Add(frame);
                }
                if (offset + length > expectedLength) throw new InvalidOperationException("segment beyond the reply: offset " + offset + " length " + length);
                Array.Copy(frame, payload, result.Data, offset, length);
                segmentsByOffset[offset] = length;
                while (segmentsByOffset.TryGetValue(contiguous, out int run) && run > 0)
                {
                    segmentsByOffset.Remove(contiguous);
                    contiguous += run;
                }
                ack.AckNumber = command.SequenceNumber + (uint)contiguous;
                rig.FrontEnd.Send(ack, rig.Mac);
                continue;
            }
            if (!rig.FrontEnd.TryRead(frame, out var type, out int body, out int bodyLength)) continue;
            if (type == AtcpMessageType.ServiceAck)
            {
                Assert.Equal(ParseStatus.Ok, serviceAck.Parse(frame, body, bodyLength));
                if (serviceAck.StreamId != command.StreamId) continue;
                if (!accepted)
                {
                    accepted = true;
                    result.FirstAck.Parse(frame, body, bodyLength);
                    if (serviceAck.IsError || serviceAck.Status == AtcpServiceStatus.Complete) { result.Elapsed = watch.Elapsed; return result; }
                }
                continue;
            }
            if (type == AtcpMessageType.Done)
            {
                var done = new AtcpDoneRepr();
                Assert.Equal(ParseStatus.Ok, done.Parse(frame, body, bodyLength));
                if (done.StreamId != command.StreamId) continue;
                result.Done = done;
                result.Elapsed = watch.Elapsed;
                return result;
            }
            if (type == AtcpMessageType.Abort)
                throw new InvalidOperationException("the board aborted stream " + command.StreamId + " after " + contiguous + " bytes");
        }
    }
}
