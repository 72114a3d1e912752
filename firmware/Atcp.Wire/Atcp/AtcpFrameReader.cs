using Atcp.Wire.Ethernet;

namespace Atcp.Wire.Atcp
{
    /// <summary>The receive pipeline for ATCP frames (SPEC.md section 3.3): checks, in order, the
    /// frame length, EtherType, version, cluster id, body length, that the sender may send this
    /// message type to this node, the tag, and the replay window; then locates the body. One
    /// instance per node and cluster key; no allocation per frame. Not thread-safe.</summary>
    public sealed class AtcpFrameReader
    {
        /// <summary>Local id for a passive observer (a capture tool): every sender and direction is
        /// accepted; tags and replay are still checked.</summary>
        public const int Observer = -1;

        readonly uint clusterId;
        readonly ulong k0;
        readonly ulong k1;
        readonly int localId;
        readonly AtcpReplayWindow window;

        /// <summary>A reader for a node of cluster clusterId, keyed by key[keyOffset..+16).
        /// localSenderId is 0 on the front-end (accepts boards' messages), the board's id on a board
        /// (accepts the front-end's), or <see cref="Observer"/>. maxSenders sizes the replay table.</summary>
        public AtcpFrameReader(uint clusterId, byte[] key, int keyOffset, int localSenderId, int maxSenders)
        {
            this.clusterId = clusterId;
            k0 = SipHash24.KeyHalf(key, keyOffset);
            k1 = SipHash24.KeyHalf(key, keyOffset + 8);
            localId = localSenderId;
            window = new AtcpReplayWindow(maxSenders);
        }

        /// <summary>Message type of the last frame read (kept as a number when unknown).</summary>
        public byte MessageType { get; private set; }
        /// <summary>Header flags of the last frame read.</summary>
        public ushort Flags { get; private set; }
        /// <summary>Sender id of the last frame read.</summary>
        public ushort SenderId { get; private set; }
        /// <summary>Frame counter of the last frame read.</summary>
        public ulong Counter { get; private set; }
        /// <summary>The sender's boot epoch: the counter's high 32 bits.</summary>
        public uint Epoch { get { return (uint)(Counter >> 32); } }
        /// <summary>Offset of the body in the buffer passed to Read.</summary>
        public int BodyOffset { get; private set; }
        /// <summary>Body length in bytes.</summary>
        public int BodyLength { get; private set; }
        /// <summary>The per-sender replay state this reader keeps.</summary>
        public AtcpReplayWindow ReplayWindow { get { return window; } }

        /// <summary>Checks the frame at buffer[offset..offset+length) (destination MAC first,
        /// padding after the tag allowed). Ok: authentic, fresh, known type; Unknown: the same for a
        /// type this version does not define (MessageType keeps the number); anything else: drop
        /// the frame and count it by the status. Only Ok and Unknown update the replay window.</summary>
        public ParseStatus Read(byte[] buffer, int offset, int length)
        {
            BodyOffset = 0;
            BodyLength = 0;
            if (length < AtcpFrame.Overhead) return ParseStatus.Truncated;
            if (EthernetHeader.GetEtherType(buffer, offset) != EtherType.Atcp) return ParseStatus.BadField;

            int h = offset + AtcpFrame.HeaderOffset;
            if (AtcpHeader.GetVersion(buffer, h) != AtcpHeader.CurrentVersion) return ParseStatus.BadVersion;
            byte type = AtcpHeader.GetMessageType(buffer, h);
            ushort sender = AtcpHeader.GetSenderId(buffer, h);
            int bodyLength = AtcpHeader.GetBodyLength(buffer, h);
            MessageType = type;
            Flags = AtcpHeader.GetFlags(buffer, h);
            SenderId = sender;
            Counter = AtcpHeader.GetCounter(buffer, h);

            if (AtcpHeader.GetClusterId(buffer, h) != clusterId) return ParseStatus.WrongCluster;
            if (bodyLength > AtcpFrame.MaxBodyLength) return ParseStatus.BadLength;
            if (AtcpFrame.Overhead + bodyLength > length) return ParseStatus.Truncated;
            if (!SenderMaySend(sender, type)) return ParseStatus.BadField;

            int covered = AtcpFrame.BodyOffset + bodyLength;
            ulong tag = SipHash24.Compute(k0, k1, buffer, offset, covered);
            if (!SipHash24.TagEquals(tag, buffer, offset + covered)) return ParseStatus.BadTag;

            ParseStatus fresh = window.Check(sender, Counter);
            if (fresh != ParseStatus.Ok) return fresh;
            window.Accept(sender, Counter);

            BodyOffset = offset + AtcpFrame.BodyOffset;
            BodyLength = bodyLength;
            return AtcpMessageTypes.IsKnown(type) ? ParseStatus.Ok : ParseStatus.Unknown;
        }

        bool SenderMaySend(ushort sender, byte type)
        {
            if (sender == AtcpHeader.ReservedId) return false;
            if (localId == Observer) return true;
            AtcpDirection direction = AtcpMessageTypes.DirectionOf(type);
            if (localId == AtcpHeader.FrontEndId)
            {
                // The front-end hears boards only; its own frames looped back are not for it.
                return sender != AtcpHeader.FrontEndId && direction != AtcpDirection.FrontEndToBoard;
            }
            // A board hears the front-end only, never other boards' announcements.
            return sender == AtcpHeader.FrontEndId && direction != AtcpDirection.BoardToFrontEnd;
        }
    }
}
