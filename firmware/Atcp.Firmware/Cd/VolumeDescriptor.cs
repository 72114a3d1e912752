using Atcp.Wire;

namespace Atcp.Firmware.Cd
{
    /// <summary>View over one 2048-byte volume descriptor (ECMA-119 4th ed. section 8). The primary
    /// (8.4) and supplementary (8.5) descriptors share the field positions used here.</summary>
    public static class VolumeDescriptor
    {
        /// <summary>Descriptor type byte (8.1.1).</summary>
        public const int TypeOffset = 0;
        /// <summary>Standard identifier "CD001", 5 bytes (8.1.2).</summary>
        public const int StandardIdentifierOffset = 1;
        /// <summary>Descriptor version byte (8.1.3): 1 for primary, terminator and Joliet; 2 for the ISO 9660:1999 enhanced descriptor.</summary>
        public const int VersionOffset = 6;
        /// <summary>Volume identifier, 32 bytes of d-characters (UCS-2 big-endian in Joliet), space padded (8.4.6).</summary>
        public const int VolumeIdentifierOffset = 40;
        /// <summary>Length of the volume identifier field.</summary>
        public const int VolumeIdentifierLength = 32;
        /// <summary>Volume space size in logical blocks, both-endian 32-bit (8.4.8).</summary>
        public const int VolumeSpaceSizeOffset = 80;
        /// <summary>Escape sequences, 32 bytes (8.5.6); Joliet puts "%/@", "%/C" or "%/E" first.</summary>
        public const int EscapeSequencesOffset = 88;
        /// <summary>Logical block size, both-endian 16-bit (8.4.12).</summary>
        public const int LogicalBlockSizeOffset = 128;
        /// <summary>The 34-byte directory record of the root directory (8.4.18).</summary>
        public const int RootDirectoryRecordOffset = 156;
        /// <summary>Length of the root directory record.</summary>
        public const int RootDirectoryRecordLength = 34;
        /// <summary>Volume creation date, 17 bytes: 16 ASCII digits and a GMT offset (8.4.26, 8.4.26.1).</summary>
        public const int CreationDateOffset = 813;
        /// <summary>File structure version (8.4.31): 1.</summary>
        public const int FileStructureVersionOffset = 881;

        /// <summary>Type of a boot record (8.2).</summary>
        public const byte TypeBootRecord = 0;
        /// <summary>Type of the primary volume descriptor (8.4).</summary>
        public const byte TypePrimary = 1;
        /// <summary>Type of a supplementary (Joliet) or enhanced volume descriptor (8.5).</summary>
        public const byte TypeSupplementary = 2;
        /// <summary>Type of the volume descriptor set terminator (8.3).</summary>
        public const byte TypeTerminator = 255;

        /// <summary>True when bytes 1..5 read "CD001".</summary>
        public static bool HasStandardIdentifier(byte[] sector, int offset)
        {
            int o = offset + StandardIdentifierOffset;
            return sector[o] == (byte)'C' && sector[o + 1] == (byte)'D' && sector[o + 2] == (byte)'0'
                && sector[o + 3] == (byte)'0' && sector[o + 4] == (byte)'1';
        }

        /// <summary>The Joliet level (1, 2 or 3) announced by the escape sequences, or 0 for none
        /// (Joliet specification, 1995: "%/@", "%/C", "%/E" for UCS-2 levels 1..3).</summary>
        public static int JolietLevel(byte[] sector, int offset)
        {
            int o = offset + EscapeSequencesOffset;
            if (sector[o] != (byte)'%' || sector[o + 1] != (byte)'/') return 0;
            switch (sector[o + 2])
            {
                case (byte)'@': return 1;
                case (byte)'C': return 2;
                case (byte)'E': return 3;
                default: return 0;
            }
        }

        /// <summary>Reads a both-endian 16-bit field (7.2.3): false when the halves differ.</summary>
        public static bool TryReadBothEndian16(byte[] buffer, int offset, out int value)
        {
            value = LittleEndian.ReadUInt16(buffer, offset);
            return value == NetworkOrder.ReadUInt16(buffer, offset + 2);
        }

        /// <summary>Reads a both-endian 32-bit field (7.3.3): false when the halves differ.</summary>
        public static bool TryReadBothEndian32(byte[] buffer, int offset, out long value)
        {
            uint little = LittleEndian.ReadUInt32(buffer, offset);
            value = little;
            return little == NetworkOrder.ReadUInt32(buffer, offset + 4);
        }
    }
}
