using System.Buffers.Binary;

namespace Atcp.TestSupport;

/// <summary>One captured frame: its time since the Unix epoch, the stored bytes, and the length it
/// had on the wire (larger than Data when the capture cut it at the snap length).</summary>
public sealed record PcapRecord(TimeSpan Time, byte[] Data, int OriginalLength);

/// <summary>Reads classic libpcap files (either byte order, microsecond or nanosecond magic), for
/// tests that inspect captures written by <see cref="PcapWriter"/> or by tcpdump.</summary>
public static class PcapReader
{
    /// <summary>The capture's link type and frames. Throws InvalidDataException for anything
    /// that is not a classic pcap file (pcapng included).</summary>
    public static (uint LinkType, IReadOnlyList<PcapRecord> Records) ReadFile(string path) => Read(File.ReadAllBytes(path));

    /// <summary>As <see cref="ReadFile"/>, over the bytes of a capture.</summary>
    public static (uint LinkType, IReadOnlyList<PcapRecord> Records) Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 24) throw new InvalidDataException("not a pcap file: " + file.Length + " bytes");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool bigEndian;
        bool nanos;
        switch (magic)
        {
            case 0xA1B2C3D4: bigEndian = false; nanos = false; break;
            case 0xA1B23C4D: bigEndian = false; nanos = true; break;
            case 0xD4C3B2A1: bigEndian = true; nanos = false; break;
            case 0x4D3CB2A1: bigEndian = true; nanos = true; break;
            default: throw new InvalidDataException($"not a classic pcap file (magic 0x{magic:X8})");
        }
        uint U32(ReadOnlySpan<byte> s) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        uint linkType = U32(file[20..]);
        var records = new List<PcapRecord>();
        int pos = 24;
        while (pos < file.Length)
        {
            if (file.Length - pos < 16) throw new InvalidDataException("truncated record header at byte " + pos);
            uint seconds = U32(file[pos..]);
            uint fraction = U32(file[(pos + 4)..]);
            int stored = (int)U32(file[(pos + 8)..]);
            int original = (int)U32(file[(pos + 12)..]);
            pos += 16;
            if (stored < 0 || file.Length - pos < stored) throw new InvalidDataException("truncated record data at byte " + pos);
            long ticks = seconds * TimeSpan.TicksPerSecond + (nanos ? fraction / 100 : fraction * 10L);
            records.Add(new PcapRecord(TimeSpan.FromTicks(ticks), file.Slice(pos, stored).ToArray(), original));
            pos += stored;
        }
        return (linkType, records);
    }
}
