using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>Frame builders for tests: the front-end (sender 0, epoch 3) and board 7 (epoch 5) of
/// the golden cluster, and readers for each side.</summary>
static class AtcpFrames
{
    public const ushort BoardId = 7;

    public static AtcpFrameWriter FrontEndWriter(uint epoch = 3) =>
        new(AtcpGolden.ClusterId, AtcpGolden.Key, 0, AtcpHeader.FrontEndId, AtcpGolden.FrontEndMac, 0, epoch);

    public static AtcpFrameWriter BoardWriter(uint epoch = 5) =>
        new(AtcpGolden.ClusterId, AtcpGolden.Key, 0, BoardId, AtcpGolden.BoardMac, 0, epoch);

    public static AtcpFrameReader BoardReader() => new(AtcpGolden.ClusterId, AtcpGolden.Key, 0, BoardId, 1);

    public static AtcpFrameReader FrontEndReader() => new(AtcpGolden.ClusterId, AtcpGolden.Key, 0, AtcpHeader.FrontEndId, 16);

    public static AtcpFrameReader ObserverReader() => new(AtcpGolden.ClusterId, AtcpGolden.Key, 0, AtcpFrameReader.Observer, 16);

    /// <summary>True for messages the front-end sends (including ABORT, which either side sends).</summary>
    public static bool SentByFrontEnd(IAtcpMessage m) =>
        AtcpMessageTypes.DirectionOf((byte)m.MessageType) != AtcpDirection.BoardToFrontEnd;

    /// <summary>A sealed frame (exact wire length) carrying message, from the side that sends it.</summary>
    public static byte[] Seal(IAtcpMessage message, AtcpFrameWriter? writer = null, ushort flags = 0)
    {
        bool fromFrontEnd = SentByFrontEnd(message);
        writer ??= fromFrontEnd ? FrontEndWriter() : BoardWriter();
        var destination = fromFrontEnd ? AtcpGolden.BoardMac : AtcpGolden.FrontEndMac;
        var buffer = new byte[AtcpFrame.MaxFrameLength];
        int length = writer.Write(buffer, 0, destination, 0, message, flags);
        Assert.True(length > 0);
        return buffer.Take(length).ToArray();
    }

    /// <summary>The reader on the receiving side of message.</summary>
    public static AtcpFrameReader ReceiverOf(IAtcpMessage message) =>
        SentByFrontEnd(message) ? BoardReader() : FrontEndReader();
}
