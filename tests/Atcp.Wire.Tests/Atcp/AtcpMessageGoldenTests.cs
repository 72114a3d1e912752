using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>Every message against its hand-written golden body (AtcpGolden): emit gives the bytes,
/// parse gives the fields, and parse-then-emit is the identity.</summary>
public class AtcpMessageGoldenTests
{
    public static IEnumerable<object[]> Names() => AtcpGolden.Names();

    [Theory, MemberData(nameof(Names))]
    public void Emit_GoldenRepr_WritesGoldenBytesAndNothingElse(string name)
    {
        var golden = AtcpGolden.Body(name);
        var repr = AtcpGolden.Filled(name);
        Assert.Equal(golden.Length, repr.Length);
        var buffer = Enumerable.Repeat((byte)0xAA, golden.Length + 10).ToArray();
        repr.Emit(buffer, 5);
        Assert.Equal(AtcpHex.Format(golden, 0, golden.Length), AtcpHex.Format(buffer, 5, golden.Length));
        Assert.All(buffer.Take(5).Concat(buffer.Skip(5 + golden.Length)), b => Assert.Equal(0xAA, b));
    }

    [Theory, MemberData(nameof(Names))]
    public void Parse_GoldenBytes_ThenEmit_GivesSameBytes(string name)
    {
        var golden = AtcpGolden.Body(name);
        var buffer = new byte[golden.Length + 3];
        golden.CopyTo(buffer, 3);
        var repr = AtcpGolden.Empty(name);
        Assert.Equal(ParseStatus.Ok, repr.Parse(buffer, 3, golden.Length));
        var again = new byte[repr.Length];
        repr.Emit(again, 0);
        Assert.Equal(golden, again);
    }

    [Theory, MemberData(nameof(Names))]
    public void Parse_GoldenWithOneExtraByte_IsBadLength(string name)
    {
        var golden = AtcpGolden.Body(name);
        var longer = golden.Concat(new byte[] { 0 }).ToArray();
        Assert.Equal(ParseStatus.BadLength, AtcpGolden.Empty(name).Parse(longer, 0, longer.Length));
    }

    [Theory, MemberData(nameof(Names))]
    public void Parse_EveryTruncation_IsRefusedWithoutReadingPastTheEnd(string name)
    {
        var golden = AtcpGolden.Body(name);
        var repr = AtcpGolden.Empty(name);
        for (int length = 0; length < golden.Length; length++)
        {
            // An exact-size copy: a read past `length` would throw and fail the test.
            var cut = golden.Take(length).ToArray();
            Assert.NotEqual(ParseStatus.Ok, repr.Parse(cut, 0, length));
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void Parse_RandomAndMutatedBytes_NeverThrows(string name)
    {
        var golden = AtcpGolden.Body(name);
        var repr = AtcpGolden.Empty(name);
        var random = new Random(1234 + name.Length);
        for (int i = 0; i < 3000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])golden.Clone();
                for (int k = random.Next(1, 4); k > 0; k--) input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            repr.Parse(input, 0, input.Length);
        }
    }

    [Fact]
    public void Parse_Command_ReadsEveryField()
    {
        var r = new AtcpCommandRepr();
        var b = AtcpGolden.Body("COMMAND");
        Assert.Equal(ParseStatus.Ok, r.Parse(b, 0, b.Length));
        Assert.Equal(0x01020304u, r.StreamId);
        Assert.Equal(AtcpGolden.ClientMac, r.ClientMac);
        Assert.Equal(AtcpGolden.RouterMac, r.NextHopMac);
        Assert.Equal(0xC612000Au, r.ClientAddress);
        Assert.Equal(0xC6120001u, r.ServiceAddress);
        Assert.Equal(49152, r.ClientPort);
        Assert.Equal(80, r.ServicePort);
        Assert.Equal(0x11223344u, r.SequenceNumber);
        Assert.Equal(0x55667788u, r.AckNumber);
        Assert.Equal(64240, r.ClientWindow);
        Assert.Equal(7, r.WindowScale);
        Assert.Equal(64, r.Ttl);
        Assert.Equal(8192, r.ServiceWindow);
        Assert.Equal(1460, r.Mss);
        Assert.Equal(AtcpCommandFlags.SackPermitted | AtcpCommandFlags.FinAfterReply, r.Flags);
        Assert.Equal(20, r.SmoothedRttMs);
        Assert.Equal(5, r.RttVariationMs);
        Assert.Equal(AtcpServiceOpcode.SendDiskObject, r.Opcode);
        Assert.Equal(0, r.Volume);
        Assert.Equal(4096ul, r.RangeOffset);
        Assert.Equal(8192ul, r.RangeLength);
        Assert.Equal("index.html", r.Name.ToText());
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\n", r.Prefix.ToText());
    }

    [Fact]
    public void Parse_CommandUdp_ReadsEveryField()
    {
        var r = new AtcpCommandUdpRepr();
        var b = AtcpGolden.Body("COMMAND_UDP");
        Assert.Equal(ParseStatus.Ok, r.Parse(b, 0, b.Length));
        Assert.Equal(0x0A0B0C0Du, r.StreamId);
        Assert.Equal(AtcpGolden.ClientMac, r.ClientMac);
        Assert.Equal(AtcpGolden.RouterMac, r.NextHopMac);
        Assert.Equal(0xC612000Au, r.ClientAddress);
        Assert.Equal(0xC6120001u, r.ServiceAddress);
        Assert.Equal(50000, r.ClientPort);
        Assert.Equal(50001, r.ServicePort);
        Assert.Equal(64, r.Ttl);
        Assert.Equal(AtcpDatagramFraming.TftpData, r.Framing);
        Assert.Equal(1428, r.BlockSize);
        Assert.Equal(8, r.WindowSize);
        Assert.Equal(1, r.FirstBlock);
        Assert.Equal(500, r.RetransmitTimeoutMs);
        Assert.Equal(5, r.MaxRetransmissions);
        Assert.Equal(AtcpServiceOpcode.SendCdFile, r.Opcode);
        Assert.Equal(0ul, r.RangeOffset);
        Assert.Equal(AtcpStream.RangeToEnd, r.RangeLength);
        Assert.Equal(1, r.Volume);
        Assert.Equal("/BOOT/ISOLINUX.BIN;1", r.Name.ToText());
    }

    [Fact]
    public void Parse_ServiceAck_ReadsEveryField()
    {
        var r = new AtcpServiceAckRepr();
        var b = AtcpGolden.Body("SERVICE_ACK");
        Assert.Equal(ParseStatus.Ok, r.Parse(b, 0, b.Length));
        Assert.Equal(0x01020304u, r.StreamId);
        Assert.Equal(AtcpServiceStatus.InProgress, r.Status);
        Assert.False(r.IsError);
        Assert.Equal(8211ul, r.ReplySize);
        Assert.Equal(4096ul, r.BytesSent);
        Assert.Equal(2048ul, r.BytesAcknowledged);
    }

    [Fact]
    public void Parse_ClientAck_ReadsEveryField()
    {
        var r = new AtcpClientAckRepr();
        var b = AtcpGolden.Body("CLIENT_ACK");
        Assert.Equal(ParseStatus.Ok, r.Parse(b, 0, b.Length));
        Assert.Equal(0x01020304u, r.StreamId);
        Assert.Equal(0x11224344u, r.AckNumber);
        Assert.Equal(0x55667788u, r.ServiceAckNumber);
        Assert.Equal(501, r.Window);
        Assert.Equal(8192, r.ServiceWindow);
        Assert.Equal(AtcpClientAckFlags.Duplicate, r.Flags);
        Assert.Equal(2, r.SackCount);
        Assert.Equal(new uint[] { 0x11224B44, 0x11225B44 }, r.SackLeft.Take(2));
        Assert.Equal(new uint[] { 0x11225344, 0x11226344 }, r.SackRight.Take(2));
    }

    [Fact]
    public void Parse_SmallMessages_ReadEveryField()
    {
        var d = new AtcpDatagramAckRepr();
        var b = AtcpGolden.Body("DATAGRAM_ACK");
        Assert.Equal(ParseStatus.Ok, d.Parse(b, 0, b.Length));
        Assert.Equal((0x0A0B0C0Du, 65538u), (d.StreamId, d.Block));

        var m = new AtcpPathMtuRepr();
        b = AtcpGolden.Body("PATH_MTU");
        Assert.Equal(ParseStatus.Ok, m.Parse(b, 0, b.Length));
        Assert.Equal((0x01020304u, (ushort)1400), (m.StreamId, m.Mtu));

        var h = new AtcpHelloRequestRepr();
        b = AtcpGolden.Body("HELLO_REQUEST");
        Assert.Equal(ParseStatus.Ok, h.Parse(b, 0, b.Length));
        Assert.Equal(((ushort)250, (ushort)10), (h.ReplySpreadMs, h.HeartbeatIntervalSeconds));

        var q = new AtcpInventoryRequestRepr();
        b = AtcpGolden.Body("INVENTORY_REQUEST");
        Assert.Equal(ParseStatus.Ok, q.Parse(b, 0, b.Length));
        Assert.Equal(((byte)0, (ushort)0, 64u), (q.Volume, q.MaxEntries, q.FirstIndex));

        var done = new AtcpDoneRepr();
        b = AtcpGolden.Body("DONE");
        Assert.Equal(ParseStatus.Ok, done.Parse(b, 0, b.Length));
        Assert.Equal((0x01020304u, 8211ul, 3u, 1500u), (done.StreamId, done.TotalBytes, done.RetransmittedSegments, done.DurationMs));

        var abort = new AtcpAbortRepr();
        b = AtcpGolden.Body("ABORT");
        Assert.Equal(ParseStatus.Ok, abort.Parse(b, 0, b.Length));
        Assert.Equal((0x01020304u, AtcpAbortReason.ClientReset), (abort.StreamId, abort.Reason));
    }

    [Fact]
    public void Parse_Hello_ReadsEveryFieldAndVolume()
    {
        var r = new AtcpHelloRepr();
        var b = AtcpGolden.Body("HELLO");
        Assert.Equal(ParseStatus.Ok, r.Parse(b, 0, b.Length));
        Assert.Equal(7, r.BoardId);
        Assert.Equal(AtcpGolden.BoardMac, r.Mac);
        Assert.Equal((1, 2, 3), (r.FirmwareMajor, r.FirmwareMinor, (int)r.FirmwarePatch));
        Assert.Equal((5u, 3600u, 42u), (r.BootEpoch, r.UptimeSeconds, r.InventoryGeneration));
        Assert.Equal((2, 8, 10), ((int)r.ActiveStreams, (int)r.MaxStreams, (int)r.HeartbeatIntervalSeconds));
        Assert.Equal(AtcpHelloFlags.Reply, r.Flags);
        Assert.Equal(2, r.VolumeCount);
        var v = r.Volumes[0];
        Assert.Equal((0, AtcpVolumeKind.Disk, 0, "SD0"), ((int)v.Id, v.Kind, (int)v.Flags, v.Label.ToText()));
        Assert.Equal((0x800000000ul, 0x400000000ul, 1234u), (v.CapacityBytes, v.FreeBytes, v.ObjectCount));
        v = r.Volumes[1];
        Assert.Equal((1, AtcpVolumeKind.Cd, (int)AtcpVolumeFlags.ReadOnly, "DEBIAN_12"), ((int)v.Id, v.Kind, (int)v.Flags, v.Label.ToText()));
        Assert.Equal((692060160ul, 0ul, 4000u), (v.CapacityBytes, v.FreeBytes, v.ObjectCount));
    }

    [Fact]
    public void Parse_Inventory_ReadsEveryEntry()
    {
        var r = new AtcpInventoryRepr();
        var b = AtcpGolden.Body("INVENTORY");
        Assert.Equal(ParseStatus.Ok, r.Parse(b, 0, b.Length));
        Assert.Equal((0, AtcpInventoryFlags.LastPage), ((int)r.Volume, r.Flags));
        Assert.Equal((42u, 66u, 64u), (r.Generation, r.TotalEntries, r.FirstIndex));
        Assert.Equal(2, r.EntryCount);
        Assert.Equal((AtcpObjectKind.File, 8192ul, "index.html", "text/html", "\"a1b2\""),
            (r.Kind(0), r.Size(0), r.NameText(0), r.ContentTypeText(0), r.EtagText(0)));
        Assert.Equal((AtcpObjectKind.Directory, 0ul, "img", "", ""),
            (r.Kind(1), r.Size(1), r.NameText(1), r.ContentTypeText(1), r.EtagText(1)));
    }
}
