namespace Atcp.Frontend.Tftp;

/// <summary>TFTP packet types (RFC 1350 section 5; OACK from RFC 2347).</summary>
public enum TftpOpcode : ushort
{
    /// <summary>RRQ: read request.</summary>
    ReadRequest = 1,
    /// <summary>WRQ: write request.</summary>
    WriteRequest = 2,
    /// <summary>DATA: one block.</summary>
    Data = 3,
    /// <summary>ACK: acknowledges a block (0 acknowledges an OACK).</summary>
    Ack = 4,
    /// <summary>ERROR: ends the transfer.</summary>
    Error = 5,
    /// <summary>OACK: option acknowledgement (RFC 2347).</summary>
    OptionAck = 6,
}

/// <summary>TFTP error codes (RFC 1350 appendix; 8 from RFC 2347). Unknown values are kept as numbers.</summary>
public enum TftpErrorCode : ushort
{
    /// <summary>Not defined, see the message.</summary>
    NotDefined = 0,
    /// <summary>File not found.</summary>
    FileNotFound = 1,
    /// <summary>Access violation.</summary>
    AccessViolation = 2,
    /// <summary>Disk full or allocation exceeded.</summary>
    DiskFull = 3,
    /// <summary>Illegal TFTP operation.</summary>
    IllegalOperation = 4,
    /// <summary>Unknown transfer ID.</summary>
    UnknownTransferId = 5,
    /// <summary>File already exists.</summary>
    FileExists = 6,
    /// <summary>No such user.</summary>
    NoSuchUser = 7,
    /// <summary>The option negotiation failed (RFC 2347).</summary>
    OptionNegotiation = 8,
}

/// <summary>Why a datagram did not parse as a TFTP packet. The parser never throws.</summary>
public enum TftpParseStatus
{
    /// <summary>Well formed.</summary>
    Ok,
    /// <summary>Zero bytes.</summary>
    Empty,
    /// <summary>Shorter than the opcode and fixed fields need.</summary>
    Truncated,
    /// <summary>An opcode outside 1..6.</summary>
    UnknownOpcode,
    /// <summary>A string without its terminating NUL.</summary>
    Unterminated,
    /// <summary>A request with an empty file name.</summary>
    EmptyFilename,
    /// <summary>A request with an empty mode.</summary>
    EmptyMode,
    /// <summary>A file name that is not UTF-8 or contains control characters.</summary>
    BadFilename,
    /// <summary>A request longer than 512 bytes (RFC 2347 section "Packet Formats").</summary>
    TooLong,
    /// <summary>An option name with no value after it.</summary>
    OptionWithoutValue,
    /// <summary>An empty option name followed by more than NUL padding.</summary>
    EmptyOptionName,
    /// <summary>Bytes after a packet that has a fixed length (ACK) or after the terminating NUL (ERROR).</summary>
    TrailingBytes,
}
