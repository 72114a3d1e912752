namespace Atcp.Firmware.Cd
{
    /// <summary>View over one directory record (ECMA-119 4th ed. section 9.1). Records never cross a
    /// logical sector; the unused tail of a sector is zero (9.1, 6.8.1.1).</summary>
    public static class DirectoryRecord
    {
        /// <summary>Length of the record in bytes (9.1.1).</summary>
        public const int LengthOffset = 0;
        /// <summary>Extended attribute record length in logical blocks, placed before the data (9.1.2).</summary>
        public const int ExtendedAttributeLengthOffset = 1;
        /// <summary>Location of extent, both-endian 32-bit logical block number (9.1.3).</summary>
        public const int ExtentOffset = 2;
        /// <summary>Data length in bytes, both-endian 32-bit (9.1.4).</summary>
        public const int DataLengthOffset = 10;
        /// <summary>Recording date and time, 7 bytes (9.1.5).</summary>
        public const int RecordingDateOffset = 18;
        /// <summary>File flags (9.1.6).</summary>
        public const int FlagsOffset = 25;
        /// <summary>File unit size, non-zero for interleaved files (9.1.7).</summary>
        public const int FileUnitSizeOffset = 26;
        /// <summary>Interleave gap size (9.1.8).</summary>
        public const int InterleaveGapOffset = 27;
        /// <summary>Length of the file identifier in bytes (9.1.10).</summary>
        public const int IdentifierLengthOffset = 32;
        /// <summary>First byte of the file identifier (9.1.11).</summary>
        public const int IdentifierOffset = 33;
        /// <summary>Smallest valid record: the fixed part plus a one-byte identifier.</summary>
        public const int MinimumLength = 34;
        /// <summary>Longest identifier a record can hold (255 - 33).</summary>
        public const int MaximumIdentifierLength = 222;

        /// <summary>Flag: the existence bit, "hidden" for people (9.1.6 bit 0).</summary>
        public const byte FlagHidden = 0x01;
        /// <summary>Flag: a directory (bit 1).</summary>
        public const byte FlagDirectory = 0x02;
        /// <summary>Flag: an associated file such as a resource fork (bit 2).</summary>
        public const byte FlagAssociated = 0x04;
        /// <summary>Flag: not the final record of a multi-extent file (bit 7).</summary>
        public const byte FlagMultiExtent = 0x80;

        /// <summary>File identifier of a directory's own entry ("." for people).</summary>
        public const byte SelfIdentifier = 0x00;
        /// <summary>File identifier of the parent entry ("..").</summary>
        public const byte ParentIdentifier = 0x01;

        /// <summary>Checks the lengths of the record at offset in a sector of sectorLength bytes:
        /// the record and its identifier fit, and the identifier is not empty.</summary>
        public static bool HasValidLengths(byte[] sector, int offset, int sectorLength)
        {
            int length = sector[offset + LengthOffset];
            if (length < MinimumLength || offset + length > sectorLength) return false;
            int idLength = sector[offset + IdentifierLengthOffset];
            return idLength != 0 && IdentifierOffset + idLength <= length;
        }

        /// <summary>True for the one-byte 0x00 (self) or 0x01 (parent) identifiers.</summary>
        public static bool IsSelfOrParent(byte[] sector, int offset)
        {
            return sector[offset + IdentifierLengthOffset] == 1
                && sector[offset + IdentifierOffset] <= ParentIdentifier;
        }
    }
}
