namespace Atcp.Firmware.Tcp
{
    /// <summary>Chooses where segments end, so the packetizer can build each payload checksum from
    /// whole stored chunk sums. The sender asks before every segment.</summary>
    public interface ISegmentPlanner
    {
        /// <summary>Payload length for a segment starting at streamOffset, at most maxPayload and at
        /// least 1 (when maxPayload >= 1), preferring an end on a chunk boundary.</summary>
        int PayloadLength(long streamOffset, int maxPayload);
    }
}
