using System.Buffers.Binary;
using System.Text;

namespace Atcp.Frontend.Tftp;

/// <summary>One option of a request or an OACK (RFC 2347): a name (case-insensitive) and a value,
/// both NUL-terminated text on the wire.</summary>
public sealed record TftpOption(string Name, string Value);

/// <summary>A TFTP packet. <see cref="ToBytes"/> builds its wire form.</summary>
public abstract record TftpPacket
{
    /// <summary>The packet type.</summary>
    public abstract TftpOpcode Opcode { get; }

    /// <summary>The UDP payload for this packet.</summary>
    public abstract byte[] ToBytes();

    /// <summary>Option names and values are ASCII on the wire; Latin-1 keeps any byte as one char.</summary>
    internal static readonly Encoding OptionText = Encoding.Latin1;

    internal static void WriteOpcode(List<byte> bytes, TftpOpcode opcode)
    {
        bytes.Add((byte)((ushort)opcode >> 8));
        bytes.Add((byte)opcode);
    }

    internal static void WriteString(List<byte> bytes, string text, Encoding encoding)
    {
        bytes.AddRange(encoding.GetBytes(text));
        bytes.Add(0);
    }

    internal static void WriteOptions(List<byte> bytes, IReadOnlyList<TftpOption> options)
    {
        foreach (var option in options)
        {
            WriteString(bytes, option.Name, OptionText);
            WriteString(bytes, option.Value, OptionText);
        }
    }
}

/// <summary>RRQ or WRQ (RFC 1350 section 5) with RFC 2347 options: opcode, file name, mode, then
/// name/value pairs. The file name is UTF-8 (clients send bytes; RFC 1350 said netascii).</summary>
public sealed record TftpRequest(TftpOpcode Kind, string Filename, string Mode, IReadOnlyList<TftpOption> Options) : TftpPacket
{
    /// <summary>RRQ or WRQ.</summary>
    public override TftpOpcode Opcode => Kind;

    /// <summary>A read request.</summary>
    public static TftpRequest Read(string filename, string mode = "octet", params TftpOption[] options) =>
        new(TftpOpcode.ReadRequest, filename, mode, options);

    /// <inheritdoc/>
    public override byte[] ToBytes()
    {
        var bytes = new List<byte>(64);
        WriteOpcode(bytes, Kind);
        WriteString(bytes, Filename, Encoding.UTF8);
        WriteString(bytes, Mode, OptionText);
        WriteOptions(bytes, Options);
        return bytes.ToArray();
    }
}

/// <summary>DATA: a 16-bit block number and 0..blksize bytes.</summary>
public sealed record TftpData(ushort Block, byte[] Data) : TftpPacket
{
    /// <summary>DATA.</summary>
    public override TftpOpcode Opcode => TftpOpcode.Data;

    /// <inheritdoc/>
    public override byte[] ToBytes()
    {
        var bytes = new byte[4 + Data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), Block);
        Data.CopyTo(bytes, 4);
        return bytes;
    }
}

/// <summary>ACK of a 16-bit block number (0 acknowledges an OACK, RFC 2347).</summary>
public sealed record TftpAck(ushort Block) : TftpPacket
{
    /// <summary>ACK.</summary>
    public override TftpOpcode Opcode => TftpOpcode.Ack;

    /// <inheritdoc/>
    public override byte[] ToBytes()
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), Block);
        return bytes;
    }
}

/// <summary>ERROR: a code and a message for people.</summary>
public sealed record TftpError(TftpErrorCode Code, string Message) : TftpPacket
{
    /// <summary>ERROR.</summary>
    public override TftpOpcode Opcode => TftpOpcode.Error;

    /// <inheritdoc/>
    public override byte[] ToBytes()
    {
        var bytes = new List<byte>(8 + Message.Length);
        WriteOpcode(bytes, TftpOpcode.Error);
        bytes.Add((byte)((ushort)Code >> 8));
        bytes.Add((byte)Code);
        WriteString(bytes, Message, Encoding.UTF8);
        return bytes.ToArray();
    }
}

/// <summary>OACK: the options the server accepted, with the values it chose (RFC 2347).</summary>
public sealed record TftpOptionAck(IReadOnlyList<TftpOption> Options) : TftpPacket
{
    /// <summary>OACK.</summary>
    public override TftpOpcode Opcode => TftpOpcode.OptionAck;

    /// <inheritdoc/>
    public override byte[] ToBytes()
    {
        var bytes = new List<byte>(64);
        WriteOpcode(bytes, TftpOpcode.OptionAck);
        WriteOptions(bytes, Options);
        return bytes.ToArray();
    }
}
