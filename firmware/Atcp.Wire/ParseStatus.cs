namespace Atcp.Wire
{
    /// <summary>Why a parser refused its input. Parsers never throw on bad bytes: they return one
    /// of these so the caller can drop the frame and count it by reason.</summary>
    public enum ParseStatus
    {
        /// <summary>The input is well formed.</summary>
        Ok = 0,
        /// <summary>Fewer bytes than the header or a length field requires.</summary>
        Truncated = 1,
        /// <summary>A version field this code does not speak.</summary>
        BadVersion = 2,
        /// <summary>A length field that contradicts the buffer or the format's limits.</summary>
        BadLength = 3,
        /// <summary>A checksum that does not verify.</summary>
        BadChecksum = 4,
        /// <summary>A field value the format forbids (for example a reserved bit set where it must not be).</summary>
        BadField = 5,
        /// <summary>A malformed option list (TCP or IP options).</summary>
        BadOption = 6,
        /// <summary>An authentication tag that does not verify (ATCP frames).</summary>
        BadTag = 7,
        /// <summary>A frame counter already seen or too old (ATCP replay protection).</summary>
        Replayed = 8,
        /// <summary>A message type or opcode this code does not know (the number is kept).</summary>
        Unknown = 9,
        /// <summary>A frame for another cluster.</summary>
        WrongCluster = 10,
    }
}
