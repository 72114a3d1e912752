using System.Buffers.Binary;

namespace Atcp.TestSupport;

/// <summary>Writes a classic libpcap capture file (not pcapng): microsecond timestamps,
/// LINKTYPE_ETHERNET, little-endian headers. Frames are whole Ethernet frames without FCS, as an
/// <c>IFrameDevice</c> moves them. Open the result with Wireshark or <see cref="Tshark"/>.</summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>pcap magic for microsecond timestamps.</summary>
    public const uint MagicMicroseconds = 0xA1B2C3D4;
    /// <summary>LINKTYPE_ETHERNET (tcpdump.org link-layer header types).</summary>
    public const uint LinkTypeEthernet = 1;
    /// <summary>Largest frame stored whole; longer frames are cut to this (incl_len) but keep their orig_len.</summary>
    public const int DefaultSnapLength = 65535;

    readonly Stream stream;
    readonly bool leaveOpen;
    readonly int snapLength;
    TimeSpan lastTime;

    /// <summary>Starts a capture on stream and writes the file header.</summary>
    public PcapWriter(Stream stream, bool leaveOpen = false, int snapLength = DefaultSnapLength)
    {
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        this.snapLength = snapLength;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, MagicMicroseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);  // version 2.4
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);   // thiszone: timestamps are UTC
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        stream.Write(header);
    }

    /// <summary>Creates (or overwrites) a capture file at path.</summary>
    public static PcapWriter Create(string path) => new(File.Create(path));

    /// <summary>Writes frames to a new file at path, 1 ms apart from time zero.</summary>
    public static void WriteFile(string path, IEnumerable<byte[]> frames)
    {
        using var writer = Create(path);
        foreach (var frame in frames) writer.Write(frame);
    }

    /// <summary>Frames written so far.</summary>
    public int FrameCount { get; private set; }

    /// <summary>Writes one frame stamped with time since the Unix epoch (a virtual clock's time
    /// works: a capture that starts at 0 shows 1970 dates).</summary>
    public void Write(ReadOnlySpan<byte> frame, TimeSpan time)
    {
        if (time < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(time), "pcap cannot store times before 1970");
        long micros = time.Ticks / 10;
        int stored = Math.Min(frame.Length, snapLength);
        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)stored);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
        stream.Write(record);
        stream.Write(frame[..stored]);
        lastTime = time;
        FrameCount++;
    }

    /// <summary>Writes one frame stamped 1 ms after the previous one (the first at time zero).</summary>
    public void Write(ReadOnlySpan<byte> frame) => Write(frame, FrameCount == 0 ? TimeSpan.Zero : lastTime + TimeSpan.FromMilliseconds(1));

    /// <summary>Writes buffer[offset..offset+length) as one frame stamped with time since the Unix epoch.</summary>
    public void Write(byte[] buffer, int offset, int length, TimeSpan time) => Write(buffer.AsSpan(offset, length), time);

    /// <summary>Flushes buffered records to the stream.</summary>
    public void Flush() => stream.Flush();

    /// <summary>Flushes, and closes the stream unless leaveOpen was given.</summary>
    public void Dispose()
    {
        stream.Flush();
        if (!leaveOpen) stream.Dispose();
    }
}
