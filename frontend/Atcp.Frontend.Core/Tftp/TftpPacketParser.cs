using System.Buffers.Binary;
using System.Text;

namespace Atcp.Frontend.Tftp;

/// <summary>Result of parsing one datagram: the status, the packet when Ok, and the opcode read
/// (also 0 when there were fewer than 2 bytes) so callers can tell a bad ERROR packet, which is never
/// answered, from a bad request, which is.</summary>
public readonly record struct TftpParseResult(TftpParseStatus Status, TftpPacket? Packet, ushort RawOpcode)
{
    /// <summary>True when the datagram parsed.</summary>
    public bool IsOk => Status == TftpParseStatus.Ok;
}

/// <summary>Strict TFTP packet parser (RFC 1350 section 5, RFC 2347): every string must be
/// NUL-terminated, requests need a non-empty file name and mode, options come in name/value pairs,
/// ACK has exactly 4 bytes and ERROR nothing after its message. Tolerated: NUL padding after a
/// request's last option (some boot ROMs send it). Never throws.</summary>
public static class TftpPacketParser
{
    /// <summary>Largest request: RFC 2347 limits a request with options to 512 octets.</summary>
    public const int MaxRequestLength = 512;

    /// <summary>Parses one UDP payload.</summary>
    public static TftpParseResult Parse(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length == 0) return Fail(TftpParseStatus.Empty, 0);
        if (datagram.Length < 2) return Fail(TftpParseStatus.Truncated, 0);
        ushort opcode = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        var body = datagram[2..];
        switch ((TftpOpcode)opcode)
        {
            case TftpOpcode.ReadRequest:
            case TftpOpcode.WriteRequest:
                return ParseRequest((TftpOpcode)opcode, datagram.Length, body);
            case TftpOpcode.Data:
                if (body.Length < 2) return Fail(TftpParseStatus.Truncated, opcode);
                return Ok(new TftpData(BinaryPrimitives.ReadUInt16BigEndian(body), body[2..].ToArray()), opcode);
            case TftpOpcode.Ack:
                if (body.Length < 2) return Fail(TftpParseStatus.Truncated, opcode);
                if (body.Length > 2) return Fail(TftpParseStatus.TrailingBytes, opcode);
                return Ok(new TftpAck(BinaryPrimitives.ReadUInt16BigEndian(body)), opcode);
            case TftpOpcode.Error:
                return ParseError(body, opcode);
            case TftpOpcode.OptionAck:
            {
                var options = new List<TftpOption>();
                var status = ParseOptions(body, options);
                return status == TftpParseStatus.Ok ? Ok(new TftpOptionAck(options), opcode) : Fail(status, opcode);
            }
            default:
                return Fail(TftpParseStatus.UnknownOpcode, opcode);
        }
    }

    static TftpParseResult ParseRequest(TftpOpcode kind, int totalLength, ReadOnlySpan<byte> body)
    {
        ushort opcode = (ushort)kind;
        if (totalLength > MaxRequestLength) return Fail(TftpParseStatus.TooLong, opcode);
        int nul = body.IndexOf((byte)0);
        if (nul < 0) return Fail(TftpParseStatus.Unterminated, opcode);
        if (nul == 0) return Fail(TftpParseStatus.EmptyFilename, opcode);
        var nameBytes = body[..nul];
        if (!TryDecodeFilename(nameBytes, out var filename)) return Fail(TftpParseStatus.BadFilename, opcode);
        body = body[(nul + 1)..];

        nul = body.IndexOf((byte)0);
        if (nul < 0) return Fail(TftpParseStatus.Unterminated, opcode);
        if (nul == 0) return Fail(TftpParseStatus.EmptyMode, opcode);
        string mode = TftpPacket.OptionText.GetString(body[..nul]);
        body = body[(nul + 1)..];

        var options = new List<TftpOption>();
        var status = ParseOptions(body, options);
        if (status != TftpParseStatus.Ok) return Fail(status, opcode);
        return Ok(new TftpRequest(kind, filename, mode, options), opcode);
    }

    // Name/value pairs until the end. An empty name is accepted only as the start of NUL padding.
    static TftpParseStatus ParseOptions(ReadOnlySpan<byte> body, List<TftpOption> options)
    {
        while (body.Length > 0)
        {
            int nul = body.IndexOf((byte)0);
            if (nul < 0) return TftpParseStatus.Unterminated;
            if (nul == 0) return body.IndexOfAnyExcept((byte)0) < 0 ? TftpParseStatus.Ok : TftpParseStatus.EmptyOptionName;
            string name = TftpPacket.OptionText.GetString(body[..nul]);
            body = body[(nul + 1)..];
            if (body.Length == 0) return TftpParseStatus.OptionWithoutValue;
            nul = body.IndexOf((byte)0);
            if (nul < 0) return TftpParseStatus.Unterminated;
            options.Add(new TftpOption(name, TftpPacket.OptionText.GetString(body[..nul])));
            body = body[(nul + 1)..];
        }
        return TftpParseStatus.Ok;
    }

    static TftpParseResult ParseError(ReadOnlySpan<byte> body, ushort opcode)
    {
        if (body.Length < 2) return Fail(TftpParseStatus.Truncated, opcode);
        var code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(body);
        body = body[2..];
        int nul = body.IndexOf((byte)0);
        if (nul < 0) return Fail(TftpParseStatus.Unterminated, opcode);
        if (nul != body.Length - 1) return Fail(TftpParseStatus.TrailingBytes, opcode);
        // Messages are for people: invalid UTF-8 becomes U+FFFD rather than a failure.
        return Ok(new TftpError(code, Encoding.UTF8.GetString(body[..nul])), opcode);
    }

    static bool TryDecodeFilename(ReadOnlySpan<byte> bytes, out string filename)
    {
        filename = "";
        foreach (byte b in bytes)
            if (b < 0x20 || b == 0x7F) return false;
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return false;
        filename = Encoding.UTF8.GetString(bytes);
        return true;
    }

    static TftpParseResult Ok(TftpPacket packet, ushort opcode) => new(TftpParseStatus.Ok, packet, opcode);

    static TftpParseResult Fail(TftpParseStatus status, ushort opcode) => new(status, null, opcode);
}
