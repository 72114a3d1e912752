using System.Buffers.Binary;
using System.Text;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>A deliberately simple, independent walk over raw image bytes that finds where
/// descriptors and directory records are, so tests can corrupt exactly one field.</summary>
static class IsoImageProbe
{
    public const int Sector = 2048;

    /// <summary>Sector of the first descriptor of this type (1 primary, 2 Joliet, 255 terminator).</summary>
    public static int DescriptorSector(byte[] image, int type)
    {
        for (int s = 16; s < 16 + 64; s++)
        {
            if (image[s * Sector] == type) return s;
            if (image[s * Sector] == 255) break;
        }
        throw new InvalidOperationException("no descriptor of type " + type);
    }

    /// <summary>Byte offset of the root directory record inside the descriptor.</summary>
    public static int RootRecord(byte[] image, bool joliet) => DescriptorSector(image, joliet ? 2 : 1) * Sector + 156;

    /// <summary>Byte offset of the directory record named by path (components as written on the
    /// medium for Joliet; for primary, compared upper case without ";1").</summary>
    public static int FindRecord(byte[] image, bool joliet, string path)
    {
        int record = RootRecord(image, joliet);
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            int extent = (int)Extent(image, record);
            int size = (int)DataLength(image, record);
            record = -1;
            for (int pos = 0; pos < size;)
            {
                int at = extent * Sector + pos;
                int length = image[at];
                if (length == 0) { pos = (pos / Sector + 1) * Sector; continue; }
                if (Name(image, at, joliet) == (joliet ? part : part.ToUpperInvariant())) { record = at; break; }
                pos += length;
            }
            if (record < 0) throw new InvalidOperationException(path + ": no record " + part);
        }
        return record;
    }

    /// <summary>Byte offsets of every record in the directory described by the record at dirRecord.</summary>
    public static List<int> Records(byte[] image, int dirRecord)
    {
        int extent = (int)Extent(image, dirRecord);
        int size = (int)DataLength(image, dirRecord);
        var records = new List<int>();
        for (int pos = 0; pos < size;)
        {
            int at = extent * Sector + pos;
            if (image[at] == 0) { pos = (pos / Sector + 1) * Sector; continue; }
            records.Add(at);
            pos += image[at];
        }
        return records;
    }

    /// <summary>Identifier of the record at offset, without ";1".</summary>
    public static string Name(byte[] image, int record, bool joliet)
    {
        int n = image[record + 32];
        string name = joliet && n > 1
            ? Encoding.BigEndianUnicode.GetString(image, record + 33, n)
            : Encoding.ASCII.GetString(image, record + 33, n);
        int semicolon = name.IndexOf(';');
        if (semicolon >= 0) name = name[..semicolon];
        if (!joliet && name.EndsWith('.')) name = name[..^1];
        return name;
    }

    public static uint Extent(byte[] image, int record) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(record + 2));

    public static uint DataLength(byte[] image, int record) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(record + 10));

    /// <summary>Writes a both-endian 32-bit value (little-endian then big-endian half).</summary>
    public static void WriteBothEndian32(byte[] image, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(offset), value);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(offset + 4), value);
    }

    /// <summary>Writes a both-endian 16-bit value.</summary>
    public static void WriteBothEndian16(byte[] image, int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(offset), value);
        BinaryPrimitives.WriteUInt16BigEndian(image.AsSpan(offset + 2), value);
    }
}
