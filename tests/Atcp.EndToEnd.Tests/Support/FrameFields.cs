using System.Globalization;
using Atcp.TestSupport;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>Values derived from tshark fields of a captured frame.</summary>
public static class FrameFields
{
    /// <summary>The tshark fields <see cref="TcpPayloadLength"/> needs.</summary>
    public static readonly IReadOnlyList<string> ForPayload = ["ip.len", "ip.hdr_len", "tcp.hdr_len"];

    /// <summary>TCP payload bytes from the IP header's total length (right even when the capture kept
    /// only the headers): ip.len - ip.hdr_len - tcp.hdr_len.</summary>
    public static long TcpPayloadLength(this TsharkFrame frame) =>
        Number(frame, "ip.len") - Number(frame, "ip.hdr_len") - Number(frame, "tcp.hdr_len");

    static long Number(TsharkFrame frame, string field) =>
        long.Parse(frame[field] ?? throw new InvalidOperationException(field + " missing in " + frame), CultureInfo.InvariantCulture);
}
