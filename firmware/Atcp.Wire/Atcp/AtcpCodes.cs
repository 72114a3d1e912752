namespace Atcp.Wire.Atcp
{
    /// <summary>What a COMMAND or COMMAND_UDP asks the board to send (SPEC.md section 5.1).
    /// Unknown values survive parsing; the board answers them with
    /// <see cref="AtcpServiceStatus.UnsupportedOpcode"/>.</summary>
    public enum AtcpServiceOpcode : byte
    {
        /// <summary>A byte range of a named object on a disk (SD card) volume.</summary>
        SendDiskObject = 0x01,
        /// <summary>A byte range of a file, named by its ISO 9660 path, on a CD volume.</summary>
        SendCdFile = 0x02,
        /// <summary>A byte range of a whole volume (a disk image or CD image); the name is empty.</summary>
        SendVolumeRange = 0x03,
    }

    /// <summary>Stream status a board reports in SERVICE_ACK (SPEC.md section 5.3). Values from
    /// 0x10 up are errors that end the stream. Unknown values survive parsing.</summary>
    public enum AtcpServiceStatus : byte
    {
        /// <summary>Command accepted; the reply size is known and sending starts.</summary>
        Accepted = 0x00,
        /// <summary>Progress report while sending.</summary>
        InProgress = 0x01,
        /// <summary>Every reply byte has been acknowledged by the client.</summary>
        Complete = 0x02,
        /// <summary>No such object on the volume.</summary>
        NotFound = 0x10,
        /// <summary>The storage device failed while reading.</summary>
        IoError = 0x11,
        /// <summary>The board has no free stream slot; try another board or later.</summary>
        Busy = 0x12,
        /// <summary>The byte range does not lie within the object.</summary>
        BadRange = 0x13,
        /// <summary>The board has no such volume.</summary>
        NoSuchVolume = 0x14,
        /// <summary>The opcode or datagram framing is not one the board implements.</summary>
        UnsupportedOpcode = 0x15,
        /// <summary>The command's fields are inconsistent (for the board's limits).</summary>
        BadCommand = 0x16,
        /// <summary>A CLIENT_ACK, DATAGRAM_ACK or PATH_MTU named a stream the board does not have.</summary>
        UnknownStream = 0x17,
    }

    /// <summary>Why a stream was aborted (SPEC.md section 5.10). Unknown values survive parsing.</summary>
    public enum AtcpAbortReason : byte
    {
        /// <summary>No reason given.</summary>
        Unspecified = 0x00,
        /// <summary>The client reset the TCP connection.</summary>
        ClientReset = 0x01,
        /// <summary>The client stopped acknowledging (retransmissions exhausted).</summary>
        Timeout = 0x02,
        /// <summary>The storage device failed mid-stream.</summary>
        IoError = 0x03,
        /// <summary>The sender is shutting down or restarting.</summary>
        Shutdown = 0x04,
        /// <summary>The front-end gave the stream to another board.</summary>
        Reassigned = 0x05,
        /// <summary>A message for the stream made no sense (e.g. an ack beyond what was sent).</summary>
        ProtocolError = 0x06,
        /// <summary>An operator stopped it.</summary>
        Administrative = 0x07,
        /// <summary>ICMP reported the client unreachable.</summary>
        ClientUnreachable = 0x08,
    }

    /// <summary>Kind of a volume in HELLO (SPEC.md section 5.6). Unknown values survive parsing.</summary>
    public enum AtcpVolumeKind : byte
    {
        /// <summary>A read-write disk (SD card) holding named objects.</summary>
        Disk = 0x01,
        /// <summary>A CD (ISO 9660) holding files by path.</summary>
        Cd = 0x02,
    }

    /// <summary>Kind of an inventory entry (SPEC.md section 5.8). Unknown values survive parsing.</summary>
    public enum AtcpObjectKind : byte
    {
        /// <summary>A file or object with bytes to send.</summary>
        File = 0x01,
        /// <summary>A directory (listed so the front-end can show the tree).</summary>
        Directory = 0x02,
    }

    /// <summary>How COMMAND_UDP cuts the reply into datagrams (SPEC.md section 5.2). Unknown
    /// values survive parsing; the board answers them with UnsupportedOpcode.</summary>
    public enum AtcpDatagramFraming : byte
    {
        /// <summary>Each datagram is one block of bytes, nothing else.</summary>
        Raw = 0x00,
        /// <summary>Each datagram is a TFTP DATA packet (RFC 1350 section 5): opcode 3, a 16-bit
        /// block number, then the block; the last block is shorter than the block size.</summary>
        TftpData = 0x01,
    }
}
