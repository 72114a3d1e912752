using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>Golden message bodies, written by hand from SPEC.md section 5 (one line per field),
/// and reprs holding the same values. Tests parse the bytes, emit the reprs and compare both ways.</summary>
static class AtcpGolden
{
    public static readonly byte[] ClientMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];
    public static readonly byte[] RouterMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0xfe];
    public static readonly byte[] FrontEndMac = [0x02, 0xa7, 0xc9, 0x00, 0x00, 0x00];
    public static readonly byte[] BoardMac = [0x02, 0xa7, 0xc9, 0x00, 0x00, 0x07];
    public const uint ClusterId = 0xA7C90001;
    public static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");

    public const string Command = """
        01020304            # stream id
        02000000000a        # client MAC
        0200000000fe        # next-hop MAC
        c612000a            # client IPv4 198.18.0.10
        c6120001            # service IPv4 198.18.0.1
        c000                # client port 49152
        0050                # service port 80
        11223344            # sequence number
        55667788            # ack number
        faf0                # client window 64240
        07                  # window scale 7
        40                  # TTL 64
        2000                # service window 8192
        05b4                # MSS 1460
        0003                # flags: SACK permitted, FIN after reply
        0014                # SRTT 20 ms
        0005                # RTTVAR 5 ms
        01                  # opcode SendDiskObject
        00                  # volume 0
        0000000000001000    # range offset 4096
        0000000000002000    # range length 8192
        00020000            # initial window 131072
        0a 696e6465782e68746d6c                          # name "index.html"
        0013 485454502f312e3120323030204f4b0d0a0d0a      # prefix "HTTP/1.1 200 OK\r\n\r\n"
        """;

    public static AtcpCommandRepr CommandRepr()
    {
        var r = new AtcpCommandRepr
        {
            StreamId = 0x01020304, ClientAddress = 0xC612000A, ServiceAddress = 0xC6120001,
            ClientPort = 49152, ServicePort = 80, SequenceNumber = 0x11223344, AckNumber = 0x55667788,
            ClientWindow = 64240, WindowScale = 7, Ttl = 64, ServiceWindow = 8192, Mss = 1460,
            Flags = AtcpCommandFlags.SackPermitted | AtcpCommandFlags.FinAfterReply,
            SmoothedRttMs = 20, RttVariationMs = 5, Opcode = AtcpServiceOpcode.SendDiskObject, Volume = 0,
            RangeOffset = 4096, RangeLength = 8192, InitialWindow = 131072,
        };
        ClientMac.CopyTo(r.ClientMac, 0);
        RouterMac.CopyTo(r.NextHopMac, 0);
        Assert.Equal(ParseStatus.Ok, r.Name.SetText("index.html"));
        Assert.Equal(ParseStatus.Ok, r.Prefix.SetText("HTTP/1.1 200 OK\r\n\r\n"));
        return r;
    }

    public const string CommandUdp = """
        0a0b0c0d            # stream id
        02000000000a        # client MAC
        0200000000fe        # next-hop MAC
        c612000a            # client IPv4 198.18.0.10
        c6120001            # service IPv4 198.18.0.1
        c350                # client port 50000
        c351                # service port 50001
        40                  # TTL 64
        01                  # framing TftpData
        0594                # block size 1428
        0008                # window 8 blocks
        0001                # first block 1
        01f4                # retransmit timeout 500 ms
        05                  # max retransmissions 5
        02                  # opcode SendCdFile
        0000000000000000    # range offset 0
        ffffffffffffffff    # range length: to the end
        01                  # volume 1
        14 2f424f4f542f49534f4c494e55582e42494e3b31    # name "/BOOT/ISOLINUX.BIN;1"
        """;

    public static AtcpCommandUdpRepr CommandUdpRepr()
    {
        var r = new AtcpCommandUdpRepr
        {
            StreamId = 0x0A0B0C0D, ClientAddress = 0xC612000A, ServiceAddress = 0xC6120001,
            ClientPort = 50000, ServicePort = 50001, Ttl = 64, Framing = AtcpDatagramFraming.TftpData,
            BlockSize = 1428, WindowSize = 8, FirstBlock = 1, RetransmitTimeoutMs = 500, MaxRetransmissions = 5,
            Opcode = AtcpServiceOpcode.SendCdFile, RangeOffset = 0, RangeLength = AtcpStream.RangeToEnd, Volume = 1,
        };
        ClientMac.CopyTo(r.ClientMac, 0);
        RouterMac.CopyTo(r.NextHopMac, 0);
        Assert.Equal(ParseStatus.Ok, r.Name.SetText("/BOOT/ISOLINUX.BIN;1"));
        return r;
    }

    public const string ServiceAck = """
        01020304            # stream id
        01                  # status InProgress
        000000              # reserved
        0000000000002013    # reply size 8211 (19-byte prefix + 8192)
        0000000000001000    # bytes sent 4096
        0000000000000800    # bytes acknowledged 2048
        """;

    public static AtcpServiceAckRepr ServiceAckRepr() => new()
    {
        StreamId = 0x01020304, Status = AtcpServiceStatus.InProgress, ReplySize = 8211, BytesSent = 4096, BytesAcknowledged = 2048,
    };

    public const string ClientAck = """
        01020304            # stream id
        11224344            # client ack number (sequence number + 4096)
        55667788            # service ack number (unchanged: the client sent nothing new)
        01f5                # client window 501 (x 2^7)
        2000                # service window 8192
        01                  # flags: duplicate
        02                  # 2 SACK blocks
        0000                # reserved
        11224b44 11225344   # block 1: left, right
        11225b44 11226344   # block 2: left, right
        """;

    public static AtcpClientAckRepr ClientAckRepr()
    {
        var r = new AtcpClientAckRepr
        {
            StreamId = 0x01020304, AckNumber = 0x11224344, ServiceAckNumber = 0x55667788, Window = 501, ServiceWindow = 8192,
            Flags = AtcpClientAckFlags.Duplicate,
        };
        Assert.Equal(ParseStatus.Ok, r.AddSack(0x11224B44, 0x11225344));
        Assert.Equal(ParseStatus.Ok, r.AddSack(0x11225B44, 0x11226344));
        return r;
    }

    public const string DatagramAck = """
        0a0b0c0d            # stream id
        00010002            # block 65538 (unwrapped)
        """;

    public static AtcpDatagramAckRepr DatagramAckRepr() => new() { StreamId = 0x0A0B0C0D, Block = 65538 };

    public const string PathMtu = """
        01020304            # stream id
        0578                # MTU 1400
        0000                # reserved
        """;

    public static AtcpPathMtuRepr PathMtuRepr() => new() { StreamId = 0x01020304, Mtu = 1400 };

    public const string HelloRequest = """
        00fa                # reply spread 250 ms
        000a                # heartbeat interval 10 s
        """;

    public static AtcpHelloRequestRepr HelloRequestRepr() => new() { ReplySpreadMs = 250, HeartbeatIntervalSeconds = 10 };

    public const string Hello = """
        0007                # board id 7
        02a7c9000007        # MAC
        01 02 0003          # firmware 1.2.3
        00000005            # boot epoch 5
        00000e10            # uptime 3600 s
        0000002a            # inventory generation 42
        0002                # active streams 2
        0008                # max streams 8
        000a                # heartbeat 10 s
        01                  # flags: reply
        02                  # 2 volumes
        00 01 00            # volume 0: id 0, Disk, flags 0
        03 534430 0000000000000000000000000000000000000000000000000000000000   # label "SD0" in 32 bytes
        0000000800000000    # capacity 32 GiB
        0000000400000000    # free 16 GiB
        000004d2            # 1234 objects
        01 02 01            # volume 1: id 1, Cd, read-only
        09 44454249414e5f3132 0000000000000000000000000000000000000000000000  # label "DEBIAN_12" in 32 bytes
        0000000029400000    # capacity 692060160
        0000000000000000    # free 0
        00000fa0            # 4000 objects
        """;

    public static AtcpHelloRepr HelloRepr()
    {
        var r = new AtcpHelloRepr
        {
            BoardId = 7, FirmwareMajor = 1, FirmwareMinor = 2, FirmwarePatch = 3, BootEpoch = 5, UptimeSeconds = 3600,
            InventoryGeneration = 42, ActiveStreams = 2, MaxStreams = 8, HeartbeatIntervalSeconds = 10, Flags = AtcpHelloFlags.Reply,
        };
        BoardMac.CopyTo(r.Mac, 0);
        Assert.Equal(ParseStatus.Ok, r.SetVolumeCount(2));
        var v = r.Volumes[0];
        v.Id = 0; v.Kind = AtcpVolumeKind.Disk; v.Flags = 0; v.Label.SetText("SD0");
        v.CapacityBytes = 0x800000000; v.FreeBytes = 0x400000000; v.ObjectCount = 1234;
        v = r.Volumes[1];
        v.Id = 1; v.Kind = AtcpVolumeKind.Cd; v.Flags = AtcpVolumeFlags.ReadOnly; v.Label.SetText("DEBIAN_12");
        v.CapacityBytes = 692060160; v.FreeBytes = 0; v.ObjectCount = 4000;
        return r;
    }

    public const string InventoryRequest = """
        00                  # volume 0
        00                  # reserved
        0000                # max entries: as many as fit
        00000040            # first index 64
        """;

    public static AtcpInventoryRequestRepr InventoryRequestRepr() => new() { Volume = 0, MaxEntries = 0, FirstIndex = 64 };

    public const string Inventory = """
        00                  # volume 0
        01                  # flags: last page
        0002                # 2 entries
        0000002a            # generation 42
        00000042            # total entries 66
        00000040            # first index 64
        01 0000000000002000                 # entry 0: File, 8192 bytes
        0a 696e6465782e68746d6c             #   name "index.html"
        09 746578742f68746d6c               #   content type "text/html"
        06 226131623222                     #   ETag "a1b2" with quotes
        02 0000000000000000                 # entry 1: Directory, 0 bytes
        03 696d67                           #   name "img"
        00                                  #   no content type
        00                                  #   no ETag
        """;

    public static AtcpInventoryRepr InventoryRepr()
    {
        var r = new AtcpInventoryRepr { Volume = 0, Flags = AtcpInventoryFlags.LastPage, Generation = 42, TotalEntries = 66, FirstIndex = 64 };
        Assert.Equal(ParseStatus.Ok, Add(r, AtcpObjectKind.File, 8192, "index.html", "text/html", "\"a1b2\""));
        Assert.Equal(ParseStatus.Ok, Add(r, AtcpObjectKind.Directory, 0, "img", "", ""));
        return r;
    }

    public static ParseStatus Add(AtcpInventoryRepr r, AtcpObjectKind kind, ulong size, string name, string type, string etag)
    {
        var n = System.Text.Encoding.UTF8.GetBytes(name);
        var t = System.Text.Encoding.UTF8.GetBytes(type);
        var e = System.Text.Encoding.UTF8.GetBytes(etag);
        return r.Add(kind, size, n, 0, n.Length, t, 0, t.Length, e, 0, e.Length);
    }

    public const string Done = """
        01020304            # stream id
        0000000000002013    # total bytes 8211
        00000003            # 3 retransmitted segments
        000005dc            # 1500 ms
        """;

    public static AtcpDoneRepr DoneRepr() => new() { StreamId = 0x01020304, TotalBytes = 8211, RetransmittedSegments = 3, DurationMs = 1500 };

    public const string ClientAcks = """
        02                  # 2 entries
        000000              # reserved
        01020304            # entry 1: stream id
        11224344            #   client ack number
        55667788            #   service ack number
        01f5                #   client window 501
        2000                #   service window 8192
        00                  #   flags: none
        00                  #   no SACK blocks
        0000                #   reserved
        01020305            # entry 2: stream id
        aabbccdd            #   client ack number
        00000001            #   service ack number
        ffff                #   client window 65535
        1000                #   service window 4096
        02                  #   flags: FIN seen
        00                  #   no SACK blocks
        0000                #   reserved
        """;

    public static AtcpClientAcksRepr ClientAcksRepr()
    {
        var r = new AtcpClientAcksRepr();
        var a = r.Add()!;
        a.StreamId = 0x01020304; a.AckNumber = 0x11224344; a.ServiceAckNumber = 0x55667788; a.Window = 501; a.ServiceWindow = 8192;
        var b = r.Add()!;
        b.StreamId = 0x01020305; b.AckNumber = 0xAABBCCDD; b.ServiceAckNumber = 1; b.Window = 65535; b.ServiceWindow = 4096;
        b.Flags = AtcpClientAckFlags.FinSeen;
        return r;
    }

    public const string Abort = """
        01020304            # stream id
        01                  # reason ClientReset
        000000              # reserved
        """;

    public static AtcpAbortRepr AbortRepr() => new() { StreamId = 0x01020304, Reason = AtcpAbortReason.ClientReset };

    /// <summary>Every message: name, golden body, a repr with the golden values, and a fresh repr to parse into.</summary>
    public static IEnumerable<(string Name, string Hex, IAtcpMessage Filled, IAtcpMessage Empty)> All()
    {
        yield return ("COMMAND", Command, CommandRepr(), new AtcpCommandRepr());
        yield return ("COMMAND_UDP", CommandUdp, CommandUdpRepr(), new AtcpCommandUdpRepr());
        yield return ("SERVICE_ACK", ServiceAck, ServiceAckRepr(), new AtcpServiceAckRepr());
        yield return ("CLIENT_ACK", ClientAck, ClientAckRepr(), new AtcpClientAckRepr());
        yield return ("DATAGRAM_ACK", DatagramAck, DatagramAckRepr(), new AtcpDatagramAckRepr());
        yield return ("PATH_MTU", PathMtu, PathMtuRepr(), new AtcpPathMtuRepr());
        yield return ("HELLO_REQUEST", HelloRequest, HelloRequestRepr(), new AtcpHelloRequestRepr());
        yield return ("HELLO", Hello, HelloRepr(), new AtcpHelloRepr());
        yield return ("INVENTORY_REQUEST", InventoryRequest, InventoryRequestRepr(), new AtcpInventoryRequestRepr());
        yield return ("INVENTORY", Inventory, InventoryRepr(), new AtcpInventoryRepr());
        yield return ("DONE", Done, DoneRepr(), new AtcpDoneRepr());
        yield return ("ABORT", Abort, AbortRepr(), new AtcpAbortRepr());
        yield return ("CLIENT_ACKS", ClientAcks, ClientAcksRepr(), new AtcpClientAcksRepr());
    }

    public static IAtcpMessage Filled(string name) => All().First(m => m.Name == name).Filled;
    public static IAtcpMessage Empty(string name) => All().First(m => m.Name == name).Empty;
    public static byte[] Body(string name) => AtcpHex.Parse(All().First(m => m.Name == name).Hex);
    public static IEnumerable<object[]> Names() => All().Select(m => new object[] { m.Name });
}
