namespace Atcp.Firmware.Tcp
{
    /// <summary>Life of one reply stream in the board's sender.</summary>
    public enum SenderState
    {
        /// <summary>Slot free.</summary>
        Idle = 0,
        /// <summary>Data remains unacknowledged.</summary>
        Sending = 1,
        /// <summary>The client acknowledged every byte.</summary>
        Finished = 2,
        /// <summary>Gave up: too many timeouts, or aborted.</summary>
        Failed = 3,
    }

    /// <summary>What an incoming (relayed) client ACK meant to the sender.</summary>
    public enum AckOutcome
    {
        /// <summary>Acknowledged new data.</summary>
        NewData = 0,
        /// <summary>A duplicate ACK (no new data, data outstanding, same window).</summary>
        Duplicate = 1,
        /// <summary>Only a window change or new SACK information.</summary>
        Update = 2,
        /// <summary>An ACK below what is already acknowledged; ignored.</summary>
        Old = 3,
        /// <summary>Acknowledges bytes never sent (seed Fig. 10, step 131): discarded and counted.</summary>
        BeyondSent = 4,
        /// <summary>The stream is not sending.</summary>
        NotSending = 5,
    }
}
