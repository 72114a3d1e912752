using Atcp.TestSupport;
using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>tools/wireshark/atcp.lua, written from SPEC.md, decodes frames the C# code emits to the
/// same field values: a second, independent decoder of the byte layout and of the tag.</summary>
public class AtcpDissectorTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("atcp-dissector-").FullName;

    public void Dispose() => Directory.Delete(directory, true);

    static readonly string[] Fields =
    [
        "atcp.version", "atcp.type", "atcp.flags", "atcp.cluster", "atcp.sender", "atcp.length", "atcp.counter", "atcp.tag_ok",
        "atcp.stream", "atcp.client_mac", "atcp.next_hop_mac", "atcp.client_ip", "atcp.service_ip", "atcp.client_port",
        "atcp.service_port", "atcp.ttl", "atcp.opcode", "atcp.volume", "atcp.range_offset", "atcp.range_length", "atcp.initial_window", "atcp.name",
        "atcp.seq", "atcp.ack", "atcp.window", "atcp.service_window", "atcp.service_ack", "atcp.wscale", "atcp.mss", "atcp.cmd_flags", "atcp.srtt", "atcp.rttvar",
        "atcp.prefix_length", "atcp.framing", "atcp.block_size", "atcp.window_size", "atcp.first_block", "atcp.rto",
        "atcp.max_retries", "atcp.status", "atcp.reply_size", "atcp.bytes_sent", "atcp.bytes_acked", "atcp.ack_flags",
        "atcp.sack_count", "atcp.ack_entries", "atcp.sack_left", "atcp.sack_right", "atcp.block", "atcp.mtu", "atcp.reply_spread", "atcp.heartbeat",
        "atcp.board_id", "atcp.mac", "atcp.firmware", "atcp.boot_epoch", "atcp.uptime", "atcp.generation", "atcp.active_streams",
        "atcp.max_streams", "atcp.hello_flags", "atcp.volume_count", "atcp.vol.id", "atcp.vol.kind", "atcp.vol.label",
        "atcp.vol.capacity", "atcp.vol.free", "atcp.vol.objects", "atcp.max_entries", "atcp.first_index", "atcp.inv_flags",
        "atcp.entry_count", "atcp.total_entries", "atcp.entry.kind", "atcp.entry.size", "atcp.entry.name", "atcp.entry.type",
        "atcp.entry.etag", "atcp.total_bytes", "atcp.retransmitted", "atcp.duration", "atcp.reason", "_ws.expert.message",
    ];

    List<Dictionary<string, string>> Decode(IEnumerable<byte[]> frames)
    {
        var path = Path.Combine(directory, "atcp.pcap");
        PcapWriter.WriteFile(path, frames);
        var decoded = Tshark.Decode(path, Fields, ["atcp.key:" + Convert.ToHexString(AtcpGolden.Key).ToLowerInvariant()],
            [RepoPaths.Under("tools", "wireshark", "atcp.lua")]);
        // One string per field, repeated occurrences joined by ',' as the assertions expect.
        return decoded.Select(f => Fields.ToDictionary(name => name, name => name == "_ws.expert.message"
            ? string.Join(",", f.Expert.Select(e => e.Message))
            : string.Join(",", f.All(name)))).ToList();
    }

    static void Expect(Dictionary<string, string> frame, params (string Field, string Value)[] expected)
    {
        foreach (var (field, value) in expected)
            Assert.True(value == frame[field], $"{frame["atcp.type"]} {field}: expected '{value}', tshark says '{frame[field]}'");
    }

    [Fact]
    public void Dissector_EveryMessageType_ShowsTheFieldsTheCodeWrote()
    {
        var messages = AtcpGolden.All().Select(m => m.Filled).ToList();
        var decoded = Decode(messages.Select(m => AtcpFrames.Seal(m)));
        Assert.Equal(messages.Count, decoded.Count);

        for (int i = 0; i < messages.Count; i++)
        {
            var d = decoded[i];
            bool fromFrontEnd = AtcpFrames.SentByFrontEnd(messages[i]);
            Expect(d, ("atcp.version", "1"), ("atcp.type", "0x" + ((byte)messages[i].MessageType).ToString("x2")),
                ("atcp.flags", "0x0000"), ("atcp.cluster", "0xa7c90001"), ("atcp.sender", fromFrontEnd ? "0" : "7"),
                ("atcp.length", messages[i].Length.ToString()), ("atcp.counter", fromFrontEnd ? "0x0000000300000000" : "0x0000000500000000"),
                ("atcp.tag_ok", "1"), ("_ws.expert.message", ""));
        }

        Expect(decoded[0], ("atcp.stream", "0x01020304"), ("atcp.client_mac", "02:00:00:00:00:0a"), ("atcp.next_hop_mac", "02:00:00:00:00:fe"),
            ("atcp.client_ip", "198.18.0.10"), ("atcp.service_ip", "198.18.0.1"), ("atcp.client_port", "49152"), ("atcp.service_port", "80"),
            ("atcp.seq", "287454020"), ("atcp.ack", "1432778632"), ("atcp.window", "64240"), ("atcp.wscale", "7"), ("atcp.ttl", "64"), ("atcp.service_window", "8192"),
            ("atcp.mss", "1460"), ("atcp.cmd_flags", "0x0003"), ("atcp.srtt", "20"), ("atcp.rttvar", "5"), ("atcp.opcode", "1"),
            ("atcp.volume", "0"), ("atcp.range_offset", "4096"), ("atcp.range_length", "8192"), ("atcp.initial_window", "131072"),
            ("atcp.name", "index.html"), ("atcp.prefix_length", "19"));
        Expect(decoded[1], ("atcp.stream", "0x0a0b0c0d"), ("atcp.client_port", "50000"), ("atcp.service_port", "50001"), ("atcp.ttl", "64"),
            ("atcp.framing", "1"), ("atcp.block_size", "1428"), ("atcp.window_size", "8"), ("atcp.first_block", "1"), ("atcp.rto", "500"),
            ("atcp.max_retries", "5"), ("atcp.opcode", "2"), ("atcp.range_offset", "0"), ("atcp.range_length", "18446744073709551615"),
            ("atcp.volume", "1"), ("atcp.name", "/BOOT/ISOLINUX.BIN;1"));
        Expect(decoded[2], ("atcp.stream", "0x01020304"), ("atcp.status", "0x01"), ("atcp.reply_size", "8211"), ("atcp.bytes_sent", "4096"),
            ("atcp.bytes_acked", "2048"));
        Expect(decoded[3], ("atcp.stream", "0x01020304"), ("atcp.ack", "287458116"), ("atcp.service_ack", "1432778632"),
            ("atcp.window", "501"), ("atcp.service_window", "8192"), ("atcp.ack_flags", "0x01"),
            ("atcp.sack_count", "2"), ("atcp.sack_left", "287460164,287464260"), ("atcp.sack_right", "287462212,287466308"));
        Expect(decoded[4], ("atcp.stream", "0x0a0b0c0d"), ("atcp.block", "65538"));
        Expect(decoded[5], ("atcp.stream", "0x01020304"), ("atcp.mtu", "1400"));
        Expect(decoded[6], ("atcp.reply_spread", "250"), ("atcp.heartbeat", "10"));
        Expect(decoded[7], ("atcp.board_id", "7"), ("atcp.mac", "02:a7:c9:00:00:07"), ("atcp.firmware", "1.2.3"), ("atcp.boot_epoch", "5"),
            ("atcp.uptime", "3600"), ("atcp.generation", "42"), ("atcp.active_streams", "2"), ("atcp.max_streams", "8"),
            ("atcp.heartbeat", "10"), ("atcp.hello_flags", "0x01"), ("atcp.volume_count", "2"), ("atcp.vol.id", "0,1"),
            ("atcp.vol.kind", "1,2"), ("atcp.vol.label", "SD0,DEBIAN_12"), ("atcp.vol.capacity", "34359738368,692060160"),
            ("atcp.vol.free", "17179869184,0"), ("atcp.vol.objects", "1234,4000"));
        Expect(decoded[8], ("atcp.volume", "0"), ("atcp.max_entries", "0"), ("atcp.first_index", "64"));
        Expect(decoded[9], ("atcp.volume", "0"), ("atcp.inv_flags", "0x01"), ("atcp.entry_count", "2"), ("atcp.generation", "42"),
            ("atcp.total_entries", "66"), ("atcp.first_index", "64"), ("atcp.entry.kind", "1,2"), ("atcp.entry.size", "8192,0"),
            ("atcp.entry.name", "index.html,img"), ("atcp.entry.type", "text/html,"), ("atcp.entry.etag", "\"a1b2\","));
        Expect(decoded[10], ("atcp.stream", "0x01020304"), ("atcp.total_bytes", "8211"), ("atcp.retransmitted", "3"), ("atcp.duration", "1500"));
        Expect(decoded[11], ("atcp.stream", "0x01020304"), ("atcp.reason", "1"));
        Expect(decoded[12], ("atcp.ack_entries", "2"), ("atcp.stream", "0x01020304,0x01020305"), ("atcp.ack", "287458116,2864434397"),
            ("atcp.service_ack", "1432778632,1"), ("atcp.window", "501,65535"), ("atcp.service_window", "8192,4096"),
            ("atcp.ack_flags", "0x00,0x02"));
    }

    [Fact]
    public void Dissector_ForgedUnknownAndMalformedFrames_AreFlagged()
    {
        var forged = AtcpFrames.Seal(AtcpGolden.DoneRepr());
        forged[AtcpFrame.BodyOffset + 5] ^= 0x01;

        var writer = AtcpFrames.FrontEndWriter();
        var buffer = new byte[AtcpFrame.MaxFrameLength];
        writer.Begin(buffer, 0, AtcpGolden.BoardMac, 0, (AtcpMessageType)0x3F, AtcpHeaderFlags.Retransmission);
        var unknown = buffer.Take(writer.Seal(buffer, 0, 3)).ToArray();

        // A CLIENT_ACK claiming 5 SACK blocks, sealed with a valid tag: well authenticated, badly formed.
        var body = new byte[AtcpClientAck.MinLength + 40];
        body[3] = 1;
        body[AtcpClientAck.SackCountOffset] = 5;
        writer.Begin(buffer, 0, AtcpGolden.BoardMac, 0, AtcpMessageType.ClientAck, 0);
        body.CopyTo(buffer, AtcpFrame.BodyOffset);
        var malformed = buffer.Take(writer.Seal(buffer, 0, body.Length)).ToArray();

        var decoded = Decode([forged, unknown, malformed]);
        Expect(decoded[0], ("atcp.tag_ok", "0"), ("_ws.expert.message", "Tag does not verify"), ("atcp.stream", "0x01020304"));
        Expect(decoded[1], ("atcp.type", "0x3f"), ("atcp.flags", "0x0001"), ("atcp.length", "3"), ("atcp.tag_ok", "1"),
            ("atcp.counter", "0x0000000300000000"));
        Expect(decoded[2], ("atcp.tag_ok", "1"), ("atcp.sack_count", "5"), ("_ws.expert.message", "Malformed ATCP body"));
    }
}
