namespace Atcp.Firmware.Udp
{
    /// <summary>What a relayed DATAGRAM_ACK meant to a <see cref="DatagramSender"/>.</summary>
    public enum DatagramAckOutcome
    {
        /// <summary>Acknowledged new blocks: the window now starts after them.</summary>
        Advanced = 0,
        /// <summary>Repeats the last acknowledgement; ignored (no resend on a duplicate ACK, which
        /// would start the Sorcerer's Apprentice syndrome, RFC 1123 section 4.2.3.1).</summary>
        Duplicate = 1,
        /// <summary>Below what is already acknowledged (a late, reordered ACK); ignored.</summary>
        Old = 2,
        /// <summary>Acknowledges blocks never sent; ignored and counted (seed Fig. 10, step 131).</summary>
        BeyondSent = 3,
        /// <summary>The stream is not sending.</summary>
        NotSending = 4,
    }
}
