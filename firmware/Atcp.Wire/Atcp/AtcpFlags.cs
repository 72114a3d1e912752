namespace Atcp.Wire.Atcp
{
    /// <summary>COMMAND flag bits (16 bits). Unlisted bits are sent as zero and ignored.</summary>
    public static class AtcpCommandFlags
    {
        /// <summary>The client sent SACK-permitted (RFC 2018) and the front-end agreed: CLIENT_ACK may carry SACK blocks.</summary>
        public const ushort SackPermitted = 0x0001;
        /// <summary>The board sets FIN on the last reply segment (the front-end then expects ack of reply + 1).</summary>
        public const ushort FinAfterReply = 0x0002;
    }

    /// <summary>CLIENT_ACK flag bits (8 bits).</summary>
    public static class AtcpClientAckFlags
    {
        /// <summary>A duplicate acknowledgement (same ack, same window, no data; RFC 5681 section 2),
        /// counted by the board for fast retransmit.</summary>
        public const byte Duplicate = 0x01;
        /// <summary>The client has sent FIN (it will send no more requests on this connection).</summary>
        public const byte FinSeen = 0x02;
    }

    /// <summary>HELLO flag bits (8 bits).</summary>
    public static class AtcpHelloFlags
    {
        /// <summary>This HELLO answers a HELLO_REQUEST rather than being a periodic heartbeat.</summary>
        public const byte Reply = 0x01;
        /// <summary>The board is draining: it finishes its streams but takes no new commands.</summary>
        public const byte Draining = 0x02;
    }

    /// <summary>Per-volume flag bits in HELLO (8 bits).</summary>
    public static class AtcpVolumeFlags
    {
        /// <summary>The volume cannot be written.</summary>
        public const byte ReadOnly = 0x01;
        /// <summary>The volume reported errors recently; prefer other copies.</summary>
        public const byte Faulted = 0x02;
    }

    /// <summary>INVENTORY flag bits (8 bits).</summary>
    public static class AtcpInventoryFlags
    {
        /// <summary>No entries follow this page.</summary>
        public const byte LastPage = 0x01;
    }
}
