namespace Atcp.Wire.Arp
{
    /// <summary>ARP packet view for Ethernet/IPv4 (RFC 826): static accessors over byte[] + offset.
    /// All multi-byte fields are network order; IPv4 addresses read as the host-order uint of their
    /// network-order bytes (10.0.0.1 is 0x0A000001).</summary>
    public static class ArpPacket
    {
        /// <summary>Hardware address space (ar$hrd), 16 bits; 1 for Ethernet.</summary>
        public const int HardwareTypeOffset = 0;
        /// <summary>Protocol address space (ar$pro), 16 bits; an EtherType, 0x0800 for IPv4.</summary>
        public const int ProtocolTypeOffset = 2;
        /// <summary>Hardware address length (ar$hln), 8 bits; 6 for Ethernet.</summary>
        public const int HardwareLengthOffset = 4;
        /// <summary>Protocol address length (ar$pln), 8 bits; 4 for IPv4.</summary>
        public const int ProtocolLengthOffset = 5;
        /// <summary>Opcode (ar$op), 16 bits.</summary>
        public const int OperationOffset = 6;
        /// <summary>Sender hardware address (ar$sha), 6 bytes.</summary>
        public const int SenderHardwareOffset = 8;
        /// <summary>Sender protocol address (ar$spa), 4 bytes.</summary>
        public const int SenderProtocolOffset = 14;
        /// <summary>Target hardware address (ar$tha), 6 bytes.</summary>
        public const int TargetHardwareOffset = 18;
        /// <summary>Target protocol address (ar$tpa), 4 bytes.</summary>
        public const int TargetProtocolOffset = 24;
        /// <summary>Length of an Ethernet/IPv4 ARP packet.</summary>
        public const int Length = 28;
        /// <summary>Length of the fixed part that says which address spaces follow.</summary>
        public const int FixedLength = 8;

        /// <summary>ar$hrd value for Ethernet (RFC 826; IANA ARP parameters).</summary>
        public const ushort HardwareTypeEthernet = 1;

        /// <summary>Checks input: Truncated when shorter than the fixed part or than an Ethernet/IPv4
        /// packet, Unknown when the address spaces are not Ethernet/IPv4, else Ok.</summary>
        public static ParseStatus Check(byte[] buffer, int offset, int length)
        {
            if (length < FixedLength) return ParseStatus.Truncated;
            if (GetHardwareType(buffer, offset) != HardwareTypeEthernet
                || GetProtocolType(buffer, offset) != Ethernet.EtherType.IPv4
                || buffer[offset + HardwareLengthOffset] != 6
                || buffer[offset + ProtocolLengthOffset] != 4) return ParseStatus.Unknown;
            if (length < Length) return ParseStatus.Truncated;
            return ParseStatus.Ok;
        }

        /// <summary>Reads ar$hrd.</summary>
        public static ushort GetHardwareType(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + HardwareTypeOffset); }

        /// <summary>Reads ar$pro.</summary>
        public static ushort GetProtocolType(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + ProtocolTypeOffset); }

        /// <summary>Reads the opcode.</summary>
        public static ushort GetOperation(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + OperationOffset); }

        /// <summary>Writes the opcode.</summary>
        public static void SetOperation(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + OperationOffset, value); }

        /// <summary>Reads the sender IPv4 address.</summary>
        public static uint GetSenderAddress(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + SenderProtocolOffset); }

        /// <summary>Writes the sender IPv4 address.</summary>
        public static void SetSenderAddress(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + SenderProtocolOffset, value); }

        /// <summary>Reads the target IPv4 address.</summary>
        public static uint GetTargetAddress(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + TargetProtocolOffset); }

        /// <summary>Writes the target IPv4 address.</summary>
        public static void SetTargetAddress(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + TargetProtocolOffset, value); }

        /// <summary>Writes the fixed part for Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4).</summary>
        public static void SetEthernetIPv4(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt16(buffer, offset + HardwareTypeOffset, HardwareTypeEthernet);
            NetworkOrder.WriteUInt16(buffer, offset + ProtocolTypeOffset, Ethernet.EtherType.IPv4);
            buffer[offset + HardwareLengthOffset] = 6;
            buffer[offset + ProtocolLengthOffset] = 4;
        }
    }

    /// <summary>ARP opcodes (RFC 826). Others (RARP, InARP) survive parsing as numbers.</summary>
    public static class ArpOperation
    {
        /// <summary>ares_op$REQUEST.</summary>
        public const ushort Request = 1;
        /// <summary>ares_op$REPLY.</summary>
        public const ushort Reply = 2;
    }
}
