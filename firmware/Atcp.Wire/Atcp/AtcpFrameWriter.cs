using Atcp.Wire.Ethernet;

namespace Atcp.Wire.Atcp
{
    /// <summary>The send side (SPEC.md section 3.1): Begin writes the Ethernet and ATCP headers,
    /// the caller emits the body in place at the returned offset, Seal writes the body length, the
    /// next frame counter and the tag, and pads to the Ethernet minimum. A retransmitted message is
    /// sealed again (new counter): receivers refuse a counter twice. No allocation per frame.</summary>
    public sealed class AtcpFrameWriter
    {
        readonly uint clusterId;
        readonly ulong k0;
        readonly ulong k1;
        readonly ushort senderId;
        readonly byte[] sourceMac = new byte[6];
        uint epoch;
        ulong nextCount;

        /// <summary>A writer for sender senderId of cluster clusterId keyed by key[keyOffset..+16),
        /// sending from sourceMac[macOffset..+6). bootEpoch is this boot's epoch: the sender must
        /// have persisted it, greater than any epoch it used before, before sending.</summary>
        public AtcpFrameWriter(uint clusterId, byte[] key, int keyOffset, ushort senderId, byte[] sourceMac, int macOffset, uint bootEpoch)
        {
            this.clusterId = clusterId;
            k0 = SipHash24.KeyHalf(key, keyOffset);
            k1 = SipHash24.KeyHalf(key, keyOffset + 8);
            this.senderId = senderId;
            System.Array.Copy(sourceMac, macOffset, this.sourceMac, 0, 6);
            StartEpoch(bootEpoch);
        }

        /// <summary>This sender's id.</summary>
        public ushort SenderId { get { return senderId; } }
        /// <summary>The boot epoch in use (the counter's high 32 bits).</summary>
        public uint Epoch { get { return epoch; } }
        /// <summary>Frames sealed in this epoch.</summary>
        public ulong SealedInEpoch { get { return nextCount; } }
        /// <summary>True when 2^32 frames were sealed in this epoch: Seal refuses until the sender
        /// persists a new epoch and calls StartEpoch (a counter must never repeat).</summary>
        public bool Exhausted { get { return nextCount > 0xFFFFFFFFUL; } }

        /// <summary>Switches to a new epoch (already persisted by the caller); counts restart at 0.</summary>
        public void StartEpoch(uint bootEpoch)
        {
            StartEpoch(bootEpoch, 0);
        }

        /// <summary>Switches to a new epoch with the per-boot count starting at firstCount (for
        /// simulations and tests that need to reach the end of an epoch quickly).</summary>
        public void StartEpoch(uint bootEpoch, uint firstCount)
        {
            epoch = bootEpoch;
            nextCount = firstCount;
        }

        /// <summary>Writes the Ethernet header (to destinationMac[destinationOffset..+6)) and the
        /// ATCP header at buffer[offset..]; returns the offset where the caller writes the body.</summary>
        public int Begin(byte[] buffer, int offset, byte[] destinationMac, int destinationOffset, AtcpMessageType messageType, ushort flags)
        {
            EthernetHeader.SetDestination(buffer, offset, destinationMac, destinationOffset);
            EthernetHeader.SetSource(buffer, offset, sourceMac, 0);
            EthernetHeader.SetEtherType(buffer, offset, EtherType.Atcp);
            int h = offset + AtcpFrame.HeaderOffset;
            AtcpHeader.SetVersion(buffer, h, AtcpHeader.CurrentVersion);
            AtcpHeader.SetMessageType(buffer, h, (byte)messageType);
            AtcpHeader.SetFlags(buffer, h, flags);
            AtcpHeader.SetClusterId(buffer, h, clusterId);
            AtcpHeader.SetSenderId(buffer, h, senderId);
            AtcpHeader.SetBodyLength(buffer, h, 0);
            AtcpHeader.SetCounter(buffer, h, 0);
            return offset + AtcpFrame.BodyOffset;
        }

        /// <summary>Completes a frame begun at buffer[offset..] whose body of bodyLength bytes is in
        /// place: writes length, counter and tag, zero-pads to 60 bytes. Returns the bytes to
        /// transmit (<see cref="AtcpFrame.WireLength"/>), or 0 when the body is longer than
        /// <see cref="AtcpFrame.MaxBodyLength"/> or the epoch is exhausted. The buffer must hold
        /// WireLength(bodyLength) bytes from offset.</summary>
        public int Seal(byte[] buffer, int offset, int bodyLength)
        {
            if (bodyLength < 0 || bodyLength > AtcpFrame.MaxBodyLength || Exhausted) return 0;
            int h = offset + AtcpFrame.HeaderOffset;
            AtcpHeader.SetBodyLength(buffer, h, (ushort)bodyLength);
            AtcpHeader.SetCounter(buffer, h, ((ulong)epoch << 32) | nextCount);
            nextCount++;
            int covered = AtcpFrame.BodyOffset + bodyLength;
            ulong tag = SipHash24.Compute(k0, k1, buffer, offset, covered);
            LittleEndian.WriteUInt64(buffer, offset + covered, tag);
            int sealedLength = covered + SipHash24.TagLength;
            int wire = AtcpFrame.WireLength(bodyLength);
            if (wire > sealedLength) System.Array.Clear(buffer, offset + sealedLength, wire - sealedLength);
            return wire;
        }

        /// <summary>Begin, message.Emit, Seal in one call; returns the bytes to transmit or 0
        /// (see Seal).</summary>
        public int Write(byte[] buffer, int offset, byte[] destinationMac, int destinationOffset, IAtcpMessage message, ushort flags)
        {
            int length = message.Length;
            if (length > AtcpFrame.MaxBodyLength || Exhausted) return 0;
            int body = Begin(buffer, offset, destinationMac, destinationOffset, message.MessageType, flags);
            message.Emit(buffer, body);
            return Seal(buffer, offset, length);
        }
    }
}
