using Atcp.Wire;
using Atcp.Wire.Atcp;
using Xunit;

namespace Atcp.Wire.Tests.Atcp;

// CLIENT_ACKS (SPEC 5.12): several streams' relays in one frame, entries laid out as CLIENT_ACK bodies.
public class AtcpClientAcksTests
{
    [Fact]
    public void Parse_GoldenBundle_ReadsEveryEntryInOrder()
    {
        var r = new AtcpClientAcksRepr();
        var b = AtcpGolden.Body("CLIENT_ACKS");
        Assert.Equal(ParseStatus.Ok, r.Parse(b, 0, b.Length));
        Assert.Equal(2, r.Count);
        Assert.Equal(0x01020304u, r.Entry(0).StreamId);
        Assert.Equal(0x11224344u, r.Entry(0).AckNumber);
        Assert.Equal(501, r.Entry(0).Window);
        Assert.Equal(0x01020305u, r.Entry(1).StreamId);
        Assert.Equal(0xAABBCCDDu, r.Entry(1).AckNumber);
        Assert.Equal(AtcpClientAckFlags.FinSeen, r.Entry(1).Flags);
        Assert.Equal(ParseStatus.Ok, r.Validate());
    }

    [Fact]
    public void EachEntry_ParsesAsAClientAckBody()
    {
        // The board reads entries with the CLIENT_ACK repr it already has: no second decoder.
        var b = AtcpGolden.Body("CLIENT_ACKS");
        Assert.Equal(ParseStatus.Ok, AtcpClientAcks.ReadCount(b, 0, b.Length, out int count));
        Assert.Equal(2, count);
        var entry = new AtcpClientAckRepr();
        Assert.Equal(ParseStatus.Ok, entry.Parse(b, AtcpClientAcks.EntryOffset(1), AtcpClientAcks.EntryLength));
        Assert.Equal(0x01020305u, entry.StreamId);
        Assert.Equal(0x00000001u, entry.ServiceAckNumber);
        Assert.Equal(4096, entry.ServiceWindow);
    }

    [Fact]
    public void ReadCount_ZeroEntries_IsBadField()
    {
        var b = new byte[AtcpClientAcks.EntriesOffset];
        Assert.Equal(ParseStatus.BadField, AtcpClientAcks.ReadCount(b, 0, b.Length, out _));
    }

    [Fact]
    public void ReadCount_MoreEntriesThanAFrameHolds_IsBadField()
    {
        var b = new byte[AtcpFrame.MaxBodyLength];
        b[0] = (byte)(AtcpClientAcks.MaxEntries + 1);
        Assert.Equal(ParseStatus.BadField, AtcpClientAcks.ReadCount(b, 0, b.Length, out _));
    }

    [Fact]
    public void Parse_EntryCarryingSackBlocks_IsRefused()
    {
        // Loss signals never ride in a bundle: an entry claiming SACK blocks does not fit its 20 bytes.
        var b = AtcpGolden.Body("CLIENT_ACKS");
        b[AtcpClientAcks.EntryOffset(0) + AtcpClientAck.SackCountOffset] = 1;
        Assert.NotEqual(ParseStatus.Ok, new AtcpClientAcksRepr().Parse(b, 0, b.Length));
    }

    [Fact]
    public void Parse_EntryWithStreamZero_IsBadField()
    {
        var b = AtcpGolden.Body("CLIENT_ACKS");
        Array.Clear(b, AtcpClientAcks.EntryOffset(1), 4);
        var r = new AtcpClientAcksRepr();
        Assert.Equal(ParseStatus.BadField, r.Parse(b, 0, b.Length));
        Assert.Equal(0, r.Count);
    }

    [Fact]
    public void Add_UpToMaxEntries_FillsOneWholeFrame()
    {
        var r = new AtcpClientAcksRepr();
        for (int i = 0; i < AtcpClientAcks.MaxEntries; i++) r.Add()!.StreamId = (uint)(i + 1);
        Assert.Null(r.Add());
        Assert.True(r.Length <= AtcpFrame.MaxBodyLength);
        var body = new byte[r.Length];
        r.Emit(body, 0);
        var back = new AtcpClientAcksRepr();
        Assert.Equal(ParseStatus.Ok, back.Parse(body, 0, body.Length));
        Assert.Equal((uint)AtcpClientAcks.MaxEntries, back.Entry(AtcpClientAcks.MaxEntries - 1).StreamId);
    }

    [Fact]
    public void Type_IsKnownFrontEndToBoard()
    {
        Assert.True(AtcpMessageTypes.IsKnown((byte)AtcpMessageType.ClientAcks));
        Assert.Equal(AtcpDirection.FrontEndToBoard, AtcpMessageTypes.DirectionOf((byte)AtcpMessageType.ClientAcks));
        Assert.Equal("CLIENT_ACKS", AtcpMessageTypes.Name(0x08));
    }
}
