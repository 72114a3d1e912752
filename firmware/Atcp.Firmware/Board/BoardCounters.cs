namespace Atcp.Firmware.Board
{
    /// <summary>What the board has done since boot, for the console and HELLO load figures.</summary>
    public sealed class BoardCounters
    {
        /// <summary>Frames received from the NIC.</summary>
        public long FramesIn;
        /// <summary>Frames handed to the NIC.</summary>
        public long FramesOut;
        /// <summary>TCP (or UDP) payload bytes sent, first transmissions and retransmissions.</summary>
        public long PayloadBytesOut;
        /// <summary>Segments sent again.</summary>
        public long Retransmissions;
        /// <summary>COMMANDs accepted.</summary>
        public long StreamsStarted;
        /// <summary>Streams whose every byte the client acknowledged.</summary>
        public long StreamsCompleted;
        /// <summary>Streams that ended without completing (timeout, abort, I/O error).</summary>
        public long StreamsFailed;
        /// <summary>COMMANDs refused (not found, busy, bad range, ...).</summary>
        public long CommandsRefused;
        /// <summary>COMMANDs answered Busy because the prefixes in flight filled the prefix pool.</summary>
        public long PrefixPoolFull;
        /// <summary>Drops per <see cref="DropReason"/>.</summary>
        public readonly long[] Drops = new long[DropReasons.Count];

        /// <summary>Counts one drop.</summary>
        public void Drop(DropReason reason) { Drops[(int)reason]++; }

        /// <summary>All drops.</summary>
        public long TotalDrops
        {
            get { long t = 0; for (int i = 0; i < Drops.Length; i++) t += Drops[i]; return t; }
        }
    }
}
