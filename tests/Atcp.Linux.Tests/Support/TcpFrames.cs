using System.Buffers.Binary;

namespace Atcp.Linux.Tests.Support;

/// <summary>IPv4/TCP frames (198.18.0.2:40000 to 198.18.0.1:8080) for tests that only look at
/// headers: flags (RFC 9293 3.1), payload bytes, and optionally 12 bytes of TCP options so the TCP
/// header is not always 20 bytes. Checksums are left zero.</summary>
public static class TcpFrames
{
    /// <summary>Builds the frame.</summary>
    public static byte[] Make(byte[] destination, byte[] source, byte flags, int payload, bool options = false)
    {
        int tcpHeader = options ? 32 : 20;
        var frame = new byte[14 + 20 + tcpHeader + payload];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        frame[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)(20 + tcpHeader + payload));
        frame[22] = 64;
        frame[23] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(26), 0xC6120002);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(30), 0xC6120001);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(36), 8080);
        frame[46] = (byte)(tcpHeader / 4 << 4);
        frame[47] = flags;
        return frame;
    }
}
