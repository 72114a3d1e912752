namespace Atcp.Firmware.Board
{
    /// <summary>Why the board dropped a frame or refused a message; counted per reason and shown by
    /// the console's `stats` command.</summary>
    public enum DropReason
    {
        /// <summary>Not an ATCP frame (EtherType other than 0x88B5: ARP, IPv4, ...).</summary>
        NotAtcp = 0,
        /// <summary>Shorter than its headers or length fields say.</summary>
        Truncated = 1,
        /// <summary>ATCP version other than 1.</summary>
        BadVersion = 2,
        /// <summary>A length above its limit.</summary>
        BadLength = 3,
        /// <summary>A field the spec forbids, or a sender that may not send this type.</summary>
        BadField = 4,
        /// <summary>The authentication tag does not verify.</summary>
        BadTag = 5,
        /// <summary>A frame counter already seen or too old.</summary>
        Replayed = 6,
        /// <summary>Another cluster's frame.</summary>
        WrongCluster = 7,
        /// <summary>An authentic frame of a type this firmware does not know.</summary>
        UnknownType = 8,
        /// <summary>A message for a stream the board does not have.</summary>
        UnknownStream = 9,
        /// <summary>A client ACK beyond what was sent (seed Fig. 10, step 131).</summary>
        AckBeyondSent = 10,
        /// <summary>The NIC had no room for a control frame.</summary>
        TransmitBusy = 11,
        /// <summary>A frame longer than the receive buffer.</summary>
        Oversize = 12,
    }

    /// <summary>Names of drop reasons for people (enum names are numbers on nanoFramework).</summary>
    public static class DropReasons
    {
        /// <summary>Number of reasons.</summary>
        public const int Count = 13;

        static readonly string[] Names = new string[]
        {
            "not ATCP", "truncated", "bad version", "bad length", "bad field", "bad tag", "replayed",
            "wrong cluster", "unknown type", "unknown stream", "ack beyond sent", "transmit busy", "oversize",
        };

        /// <summary>The reason in words.</summary>
        public static string Name(DropReason reason)
        {
            int i = (int)reason;
            return i >= 0 && i < Names.Length ? Names[i] : "reason " + i.ToString();
        }

        /// <summary>The drop reason for a parse failure.</summary>
        public static DropReason FromParseStatus(Atcp.Wire.ParseStatus status)
        {
            switch (status)
            {
                case Atcp.Wire.ParseStatus.Truncated: return DropReason.Truncated;
                case Atcp.Wire.ParseStatus.BadVersion: return DropReason.BadVersion;
                case Atcp.Wire.ParseStatus.BadLength: return DropReason.BadLength;
                case Atcp.Wire.ParseStatus.BadTag: return DropReason.BadTag;
                case Atcp.Wire.ParseStatus.Replayed: return DropReason.Replayed;
                case Atcp.Wire.ParseStatus.Unknown: return DropReason.UnknownType;
                case Atcp.Wire.ParseStatus.WrongCluster: return DropReason.WrongCluster;
                default: return DropReason.BadField;
            }
        }
    }
}
