namespace Atcp.Firmware.Tcp
{
    /// <summary>One reply stream slot: everything the board keeps for a COMMAND while it streams.
    /// Slots are preallocated (a fixed table of them), so starting a stream allocates nothing.
    /// Sequence ranges, not copies, are kept for retransmission: a lost segment is read again from
    /// the medium. The prefix lives in the board's shared <see cref="PrefixPool"/> until the client
    /// acknowledged it.</summary>
    public sealed class ReplyStream
    {
        /// <summary>Largest reply prefix (for example an HTTP response header) a COMMAND may carry.</summary>
        public const int MaxPrefixLength = Atcp.Wire.Atcp.AtcpCommand.MaxPrefixLength;

        /// <summary>Front-end-assigned stream id.</summary>
        public uint StreamId;
        /// <summary>Ethernet + IPv4 + TCP header template of every segment.</summary>
        public readonly byte[] HeaderTemplate = new byte[PseudoTcpPacketizer.HeaderLength];
        /// <summary>Where the reply bytes sent before the body are kept (the prefix pool's buffer), or
        /// null once they were released; they start at <see cref="PrefixOffset"/>.</summary>
        public byte[] PrefixBuffer;
        /// <summary>Offset of the prefix in PrefixBuffer (the pool moves it when it compacts).</summary>
        public int PrefixOffset;
        /// <summary>Prefix bytes held in PrefixBuffer: PrefixLength until released, then 0.</summary>
        public int PrefixHeld;
        /// <summary>Reply bytes before the body (whether or not still held).</summary>
        public int PrefixLength;
        /// <summary>Partial sum of the whole prefix, computed once per stream.</summary>
        public ushort PrefixSum;
        /// <summary>The body's medium.</summary>
        public IPayloadSource Source;
        /// <summary>Where the body range starts in the object.</summary>
        public long RangeOffset;
        /// <summary>Body bytes.</summary>
        public long RangeLength;
        /// <summary>Acknowledgment number carried by the segments (the front-end's receive point).</summary>
        public uint AckNumber;
        /// <summary>Window field carried by the segments (the front-end's receive window, raw).</summary>
        public ushort AdvertisedWindow;
        /// <summary>The sending half of TCP for this stream.</summary>
        public readonly TcpSender Sender = new TcpSender();
        /// <summary>Segment boundaries on the medium's chunk grid.</summary>
        public readonly ChunkAlignedPlanner Planner = new ChunkAlignedPlanner();

        /// <summary>Bytes in the reply: prefix plus body.</summary>
        public long TotalLength { get { return PrefixLength + RangeLength; } }

        /// <summary>True when the slot holds no stream.</summary>
        public bool IsFree { get { return Sender.State == SenderState.Idle; } }
    }
}
