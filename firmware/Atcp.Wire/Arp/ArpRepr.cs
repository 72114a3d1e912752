namespace Atcp.Wire.Arp
{
    /// <summary>Plain description of an Ethernet/IPv4 ARP packet. Reusable: Parse overwrites every
    /// field, so one instance serves every frame without allocation.</summary>
    public sealed class ArpRepr
    {
        /// <summary>ar$hrd as parsed; Emit always writes Ethernet. Kept so a caller can report an
        /// Unknown result.</summary>
        public ushort HardwareType = ArpPacket.HardwareTypeEthernet;
        /// <summary>ar$pro as parsed; Emit always writes IPv4.</summary>
        public ushort ProtocolType = Ethernet.EtherType.IPv4;
        /// <summary>Opcode (<see cref="ArpOperation"/>); unknown values are kept.</summary>
        public ushort Operation;
        /// <summary>Sender MAC (6 bytes, owned by this instance).</summary>
        public readonly byte[] SenderHardwareAddress = new byte[6];
        /// <summary>Sender IPv4 address (host-order value of the network-order bytes).</summary>
        public uint SenderProtocolAddress;
        /// <summary>Target MAC (6 bytes, owned by this instance); zero in a request.</summary>
        public readonly byte[] TargetHardwareAddress = new byte[6];
        /// <summary>Target IPv4 address.</summary>
        public uint TargetProtocolAddress;

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return ArpPacket.Length; } }

        /// <summary>Fills this instance from buffer[offset..offset+length). Unknown (with
        /// HardwareType/ProtocolType filled) when the address spaces are not Ethernet/IPv4;
        /// Truncated when too short. An unknown opcode parses Ok: check Operation.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length >= ArpPacket.FixedLength)
            {
                HardwareType = ArpPacket.GetHardwareType(buffer, offset);
                ProtocolType = ArpPacket.GetProtocolType(buffer, offset);
            }
            ParseStatus status = ArpPacket.Check(buffer, offset, length);
            if (status != ParseStatus.Ok) return status;
            Operation = ArpPacket.GetOperation(buffer, offset);
            System.Array.Copy(buffer, offset + ArpPacket.SenderHardwareOffset, SenderHardwareAddress, 0, 6);
            SenderProtocolAddress = ArpPacket.GetSenderAddress(buffer, offset);
            System.Array.Copy(buffer, offset + ArpPacket.TargetHardwareOffset, TargetHardwareAddress, 0, 6);
            TargetProtocolAddress = ArpPacket.GetTargetAddress(buffer, offset);
            return ParseStatus.Ok;
        }

        /// <summary>Writes the packet at buffer[offset..offset+Length) as Ethernet/IPv4.</summary>
        public void Emit(byte[] buffer, int offset)
        {
            ArpPacket.SetEthernetIPv4(buffer, offset);
            ArpPacket.SetOperation(buffer, offset, Operation);
            System.Array.Copy(SenderHardwareAddress, 0, buffer, offset + ArpPacket.SenderHardwareOffset, 6);
            ArpPacket.SetSenderAddress(buffer, offset, SenderProtocolAddress);
            System.Array.Copy(TargetHardwareAddress, 0, buffer, offset + ArpPacket.TargetHardwareOffset, 6);
            ArpPacket.SetTargetAddress(buffer, offset, TargetProtocolAddress);
        }
    }
}
