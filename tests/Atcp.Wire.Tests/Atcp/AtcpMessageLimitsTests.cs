using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>Lengths, counts and values outside the spec's limits are refused with a status, on
/// the wire (Parse) and when building a message (setters), and unknown numbers are kept.</summary>
public class AtcpMessageLimitsTests
{
    static ParseStatus Reparse(IAtcpMessage filled, IAtcpMessage empty)
    {
        var bytes = new byte[filled.Length];
        filled.Emit(bytes, 0);
        return empty.Parse(bytes, 0, bytes.Length);
    }

    [Fact]
    public void Name_Of256Bytes_IsRefusedAndFieldKept()
    {
        var r = AtcpGolden.CommandRepr();
        Assert.Equal(ParseStatus.BadLength, r.Name.Set(new byte[256], 0, 256));
        Assert.Equal(ParseStatus.BadLength, r.Name.SetText(new string('a', 256)));
        Assert.Equal("index.html", r.Name.ToText());
    }

    [Fact]
    public void Name_Of255Bytes_RoundTrips()
    {
        var r = AtcpGolden.CommandRepr();
        var name = new string('n', 249) + "é.iso"; // 'é' is 2 bytes: 255 in all
        Assert.Equal(ParseStatus.Ok, r.Name.SetText(name));
        var back = new AtcpCommandRepr();
        Assert.Equal(ParseStatus.Ok, Reparse(r, back));
        Assert.Equal(name, back.Name.ToText());
        Assert.Equal(255, back.Name.Length);
    }

    [Fact]
    public void Name_WhoseLengthRunsPastTheBody_IsTruncated()
    {
        var b = AtcpGolden.Body("COMMAND_UDP");
        b[AtcpCommandUdp.NameLengthOffset] = 21; // one more than the 20 bytes present
        Assert.Equal(ParseStatus.Truncated, new AtcpCommandUdpRepr().Parse(b, 0, b.Length));
    }

    [Fact]
    public void Prefix_Over1024Bytes_IsRefused()
    {
        var r = AtcpGolden.CommandRepr();
        Assert.Equal(ParseStatus.BadLength, r.Prefix.Set(new byte[1025], 0, 1025));
        Assert.Equal(ParseStatus.Ok, r.Prefix.Set(new byte[1024], 0, 1024));
        Assert.Equal(ParseStatus.Ok, Reparse(r, new AtcpCommandRepr()));

        // On the wire: a prefix length of 1025 with 1025 bytes present.
        var body = new byte[AtcpCommand.MinLength + 10 + 1025];
        AtcpGolden.Body("COMMAND").AsSpan(0, AtcpCommand.NameLengthOffset + 11).CopyTo(body);
        body[AtcpCommand.NameLengthOffset + 11] = 0x04; // prefix length 0x0401 = 1025
        body[AtcpCommand.NameLengthOffset + 12] = 0x01;
        Assert.Equal(ParseStatus.BadLength, new AtcpCommandRepr().Parse(body, 0, body.Length));
    }

    [Fact]
    public void SackBlocks_MoreThanFour_AreRefused()
    {
        var r = new AtcpClientAckRepr { StreamId = 1 };
        for (uint i = 0; i < 4; i++) Assert.Equal(ParseStatus.Ok, r.AddSack(i * 100 + 10, i * 100 + 20));
        Assert.Equal(ParseStatus.BadLength, r.AddSack(1000, 1100));
        Assert.Equal(4, r.SackCount);
        Assert.Equal(ParseStatus.Ok, Reparse(r, new AtcpClientAckRepr()));

        var body = new byte[AtcpClientAck.MinLength + 5 * AtcpClientAck.SackBlockLength];
        body[3] = 1;
        body[AtcpClientAck.SackCountOffset] = 5;
        Assert.Equal(ParseStatus.BadLength, new AtcpClientAckRepr().Parse(body, 0, body.Length));
    }

    [Fact]
    public void SackBlock_Empty_IsBadField()
    {
        var r = new AtcpClientAckRepr { StreamId = 1 };
        r.AddSack(500, 500);
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpClientAckRepr()));
    }

    [Fact]
    public void SackBlock_AcrossSequenceWrap_IsAccepted()
    {
        var r = new AtcpClientAckRepr { StreamId = 1 };
        r.AddSack(0xFFFFFF00, 0x00000100);
        Assert.Equal(ParseStatus.Ok, Reparse(r, new AtcpClientAckRepr()));
    }

    [Fact]
    public void Hello_MoreThanFourVolumesOrLongLabel_IsRefused()
    {
        var r = AtcpGolden.HelloRepr();
        Assert.Equal(ParseStatus.BadLength, r.SetVolumeCount(5));
        Assert.Equal(ParseStatus.BadLength, r.Volumes[0].Label.SetText(new string('L', 33)));

        var b = AtcpGolden.Body("HELLO");
        var five = new byte[AtcpHello.VolumesOffset + 5 * AtcpHello.VolumeLength];
        b.AsSpan(0, AtcpHello.VolumesOffset).CopyTo(five);
        five[AtcpHello.VolumeCountOffset] = 5;
        Assert.Equal(ParseStatus.BadLength, new AtcpHelloRepr().Parse(five, 0, five.Length));

        b[AtcpHello.VolumesOffset + AtcpHello.VolumeLabelLengthOffset] = 33;
        Assert.Equal(ParseStatus.BadLength, new AtcpHelloRepr().Parse(b, 0, b.Length));
    }

    [Fact]
    public void Hello_InconsistentCounts_AreBadField()
    {
        var r = AtcpGolden.HelloRepr();
        r.ActiveStreams = 9;
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpHelloRepr()));
        r = AtcpGolden.HelloRepr();
        r.Volumes[1].FreeBytes = r.Volumes[1].CapacityBytes + 1;
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpHelloRepr()));
        r = AtcpGolden.HelloRepr();
        r.BoardId = 0;
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpHelloRepr()));
    }

    [Fact]
    public void Inventory_FillsUntilTheFrameIsFull_ThenRefusesAndStillRoundTrips()
    {
        var r = new AtcpInventoryRepr { Volume = 1, Generation = 9, TotalEntries = 1000, FirstIndex = 0 };
        int added = 0;
        while (r.HasRoomFor(40, 24, 18))
        {
            Assert.Equal(ParseStatus.Ok, AtcpGolden.Add(r, AtcpObjectKind.File, (ulong)added,
                "object-" + added.ToString("D33"), "application/octet-stream", "\"" + added.ToString("D16") + "\""));
            added++;
        }
        Assert.Equal(ParseStatus.BadLength, AtcpGolden.Add(r, AtcpObjectKind.File, 1,
            "object-" + added.ToString("D33"), "application/octet-stream", "\"" + added.ToString("D16") + "\""));
        Assert.True(r.Length <= AtcpFrame.MaxBodyLength);
        Assert.True(r.Length + 12 + 40 + 24 + 18 > AtcpFrame.MaxBodyLength);
        Assert.Equal(15, added); // (1472 - 16) / (12 + 40 + 24 + 18)

        var back = new AtcpInventoryRepr();
        Assert.Equal(ParseStatus.Ok, Reparse(r, back));
        Assert.Equal(added, back.EntryCount);
        Assert.Equal("object-" + 14.ToString("D33"), back.NameText(14));
    }

    [Fact]
    public void Inventory_CountAbove64OrBadStrings_AreRefused()
    {
        var r = new AtcpInventoryRepr { TotalEntries = 100 };
        for (int i = 0; i < 64; i++) Assert.Equal(ParseStatus.Ok, AtcpGolden.Add(r, AtcpObjectKind.File, 0, "f", "", ""));
        Assert.Equal(ParseStatus.BadLength, AtcpGolden.Add(r, AtcpObjectKind.File, 0, "f", "", ""));

        r.ClearEntries();
        Assert.Equal(ParseStatus.BadField, AtcpGolden.Add(r, AtcpObjectKind.File, 0, "", "", ""));
        Assert.Equal(ParseStatus.BadLength, AtcpGolden.Add(r, AtcpObjectKind.File, 0, new string('x', 256), "", ""));
        Assert.Equal(ParseStatus.BadLength, AtcpGolden.Add(r, AtcpObjectKind.File, 0, "x", new string('t', 65), ""));
        Assert.Equal(ParseStatus.BadLength, AtcpGolden.Add(r, AtcpObjectKind.File, 0, "x", "", new string('e', 65)));
        Assert.Equal(0, r.EntryCount);

        var b = AtcpGolden.Body("INVENTORY");
        b[AtcpInventory.EntryCountOffset + 1] = 65;
        Assert.Equal(ParseStatus.BadLength, new AtcpInventoryRepr().Parse(b, 0, b.Length));
    }

    [Fact]
    public void Inventory_PageOutsideTheList_IsBadField()
    {
        var r = AtcpGolden.InventoryRepr();
        r.TotalEntries = 65; // first 64 + 2 entries > 65
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpInventoryRepr()));
        r = AtcpGolden.InventoryRepr();
        r.TotalEntries = 70; // marked last page but 66 != 70
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpInventoryRepr()));
    }

    [Theory]
    [InlineData(AtcpServiceOpcode.SendDiskObject, "", ParseStatus.BadField)]
    [InlineData(AtcpServiceOpcode.SendCdFile, "", ParseStatus.BadField)]
    [InlineData(AtcpServiceOpcode.SendVolumeRange, "x", ParseStatus.BadField)]
    [InlineData(AtcpServiceOpcode.SendVolumeRange, "", ParseStatus.Ok)]
    [InlineData((AtcpServiceOpcode)0x7F, "anything", ParseStatus.Ok)]
    public void Command_OperandsMustMatchTheOpcode(AtcpServiceOpcode opcode, string name, ParseStatus expected)
    {
        var r = AtcpGolden.CommandRepr();
        r.Opcode = opcode;
        r.Name.SetText(name);
        var back = new AtcpCommandRepr();
        Assert.Equal(expected, Reparse(r, back));
        if (expected == ParseStatus.Ok) Assert.Equal((byte)opcode, (byte)back.Opcode);

        var u = AtcpGolden.CommandUdpRepr();
        u.Opcode = opcode;
        u.Name.SetText(name);
        Assert.Equal(expected, Reparse(u, new AtcpCommandUdpRepr()));
    }

    [Fact]
    public void Command_BadValues_AreBadField()
    {
        void Check(Action<AtcpCommandRepr> change)
        {
            var r = AtcpGolden.CommandRepr();
            change(r);
            Assert.Equal(ParseStatus.BadField, r.Validate());
            Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpCommandRepr()));
        }
        Check(r => r.StreamId = 0);
        Check(r => r.WindowScale = 15);
        Check(r => r.Mss = 63);
        Check(r => r.Mss = 1461);
        Check(r => r.Ttl = 0);
        Check(r => { r.RangeOffset = ulong.MaxValue - 10; r.RangeLength = 11; });
        var ok = AtcpGolden.CommandRepr();
        ok.RangeOffset = ulong.MaxValue - 10;
        ok.RangeLength = 10;
        Assert.Equal(ParseStatus.Ok, Reparse(ok, new AtcpCommandRepr()));
    }

    [Fact]
    public void CommandUdp_BlockAndWindowLimits()
    {
        ParseStatus With(AtcpDatagramFraming framing, ushort block, ushort window = 8, ushort rto = 500)
        {
            var u = AtcpGolden.CommandUdpRepr();
            u.Framing = framing;
            u.BlockSize = block;
            u.WindowSize = window;
            u.RetransmitTimeoutMs = rto;
            return Reparse(u, new AtcpCommandUdpRepr());
        }
        Assert.Equal(ParseStatus.Ok, With(AtcpDatagramFraming.TftpData, 1468));
        Assert.Equal(ParseStatus.BadField, With(AtcpDatagramFraming.TftpData, 1469));
        Assert.Equal(ParseStatus.Ok, With(AtcpDatagramFraming.Raw, 1472));
        Assert.Equal(ParseStatus.BadField, With(AtcpDatagramFraming.Raw, 1473));
        Assert.Equal(ParseStatus.BadField, With(AtcpDatagramFraming.Raw, 0));
        Assert.Equal(ParseStatus.BadField, With(AtcpDatagramFraming.Raw, 512, window: 0));
        Assert.Equal(ParseStatus.BadField, With(AtcpDatagramFraming.Raw, 512, rto: 0));
        Assert.Equal(ParseStatus.Ok, With((AtcpDatagramFraming)9, 512));
    }

    [Fact]
    public void ServiceAck_ProgressBeyondWhatWasSent_IsBadField()
    {
        var r = AtcpGolden.ServiceAckRepr();
        r.BytesAcknowledged = r.BytesSent + 1;
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpServiceAckRepr()));
        r = AtcpGolden.ServiceAckRepr();
        r.BytesSent = r.ReplySize + 1;
        Assert.Equal(ParseStatus.BadField, Reparse(r, new AtcpServiceAckRepr()));
        r.ReplySize = AtcpServiceAck.UnknownSize;
        Assert.Equal(ParseStatus.Ok, Reparse(r, new AtcpServiceAckRepr()));
    }

    [Fact]
    public void UnknownStatusReasonAndKind_AreKept()
    {
        var s = AtcpGolden.ServiceAckRepr();
        s.Status = (AtcpServiceStatus)0x9C;
        var sBack = new AtcpServiceAckRepr();
        Assert.Equal(ParseStatus.Ok, Reparse(s, sBack));
        Assert.Equal(0x9C, (byte)sBack.Status);
        Assert.True(sBack.IsError);

        var a = new AtcpAbortRepr { StreamId = AtcpStream.AllStreams, Reason = (AtcpAbortReason)0xEE };
        var aBack = new AtcpAbortRepr();
        Assert.Equal(ParseStatus.Ok, Reparse(a, aBack));
        Assert.Equal((0u, 0xEE), (aBack.StreamId, (int)aBack.Reason));

        var h = AtcpGolden.HelloRepr();
        h.Volumes[0].Kind = (AtcpVolumeKind)0x42;
        var hBack = new AtcpHelloRepr();
        Assert.Equal(ParseStatus.Ok, Reparse(h, hBack));
        Assert.Equal(0x42, (int)hBack.Volumes[0].Kind);
    }

    [Theory]
    [InlineData(67, ParseStatus.BadField)]
    [InlineData(68, ParseStatus.Ok)]
    [InlineData(1500, ParseStatus.Ok)]
    [InlineData(1501, ParseStatus.BadField)]
    public void PathMtu_OutsideIpv4AndEthernetLimits_IsBadField(int mtu, ParseStatus expected)
    {
        Assert.Equal(expected, Reparse(new AtcpPathMtuRepr { StreamId = 9, Mtu = (ushort)mtu }, new AtcpPathMtuRepr()));
    }

    [Fact]
    public void StreamScopedMessages_WithStreamZero_AreBadField()
    {
        Assert.Equal(ParseStatus.BadField, Reparse(new AtcpDoneRepr(), new AtcpDoneRepr()));
        Assert.Equal(ParseStatus.BadField, Reparse(new AtcpDatagramAckRepr(), new AtcpDatagramAckRepr()));
        Assert.Equal(ParseStatus.BadField, Reparse(new AtcpServiceAckRepr(), new AtcpServiceAckRepr()));
        Assert.Equal(ParseStatus.BadField, Reparse(new AtcpClientAckRepr(), new AtcpClientAckRepr()));
    }

    [Fact]
    public void HelloRequest_ReplyDelay_SpreadsBoardsWithinTheWindow()
    {
        Assert.Equal(0, AtcpHelloRequestRepr.ReplyDelayMs(5, 0));
        var delays = Enumerable.Range(1, 30).Select(id => AtcpHelloRequestRepr.ReplyDelayMs((ushort)id, 250)).ToList();
        Assert.All(delays, d => Assert.InRange(d, 0, 250));
        Assert.Equal(30, delays.Distinct().Count());
    }
}
