-- Wireshark / tshark dissector for ATCP frames (EtherType 0x88B5), written from
-- firmware/Atcp.Wire/Atcp/SPEC.md independently of the C# code, so tests can use it as a second
-- decoder of the byte layout.
--
--   tshark -X lua_script:tools/wireshark/atcp.lua -r capture.pcap -V
--   tshark -X lua_script:tools/wireshark/atcp.lua -o atcp.key:000102030405060708090a0b0c0d0e0f -r capture.pcap -Y atcp
--
-- With the cluster key set (32 hex digits) the tag is checked: atcp.tag_ok is 1 or 0.
-- Wireshark 4.0 runs Lua 5.2 (no native 64-bit integers), so 64-bit fields and SipHash use
-- Wireshark's UInt64 objects.

local atcp = Proto("atcp", "ATCP (asymmetric 3-way TCP data link)")

local message_types = {
    [0x01] = "COMMAND", [0x02] = "COMMAND_UDP", [0x03] = "CLIENT_ACK", [0x04] = "DATAGRAM_ACK",
    [0x05] = "PATH_MTU", [0x06] = "HELLO_REQUEST", [0x07] = "INVENTORY_REQUEST", [0x08] = "CLIENT_ACKS",
    [0x40] = "ABORT",
    [0x81] = "SERVICE_ACK", [0x82] = "HELLO", [0x83] = "INVENTORY", [0x84] = "DONE",
}
local opcodes = { [1] = "SendDiskObject", [2] = "SendCdFile", [3] = "SendVolumeRange" }
local statuses = {
    [0x00] = "Accepted", [0x01] = "InProgress", [0x02] = "Complete", [0x10] = "NotFound",
    [0x11] = "IoError", [0x12] = "Busy", [0x13] = "BadRange", [0x14] = "NoSuchVolume",
    [0x15] = "UnsupportedOpcode", [0x16] = "BadCommand", [0x17] = "UnknownStream",
}
local reasons = {
    [0] = "Unspecified", [1] = "ClientReset", [2] = "Timeout", [3] = "IoError", [4] = "Shutdown",
    [5] = "Reassigned", [6] = "ProtocolError", [7] = "Administrative", [8] = "ClientUnreachable",
}
local volume_kinds = { [1] = "Disk", [2] = "Cd" }
local object_kinds = { [1] = "File", [2] = "Directory" }
local framings = { [0] = "Raw", [1] = "TftpData" }
local stream_scoped = { [0x01] = true, [0x02] = true, [0x03] = true, [0x04] = true, [0x05] = true,
    [0x40] = true, [0x81] = true, [0x84] = true }

local F = {}
local function field(key, f) F[key] = f end
-- Header
field("version", ProtoField.uint8("atcp.version", "Version", base.DEC))
field("type", ProtoField.uint8("atcp.type", "Message type", base.HEX, message_types))
field("flags", ProtoField.uint16("atcp.flags", "Flags", base.HEX))
field("flag_retx", ProtoField.bool("atcp.flags.retransmission", "Retransmission", 16, nil, 0x0001))
field("cluster", ProtoField.uint32("atcp.cluster", "Cluster id", base.HEX))
field("sender", ProtoField.uint16("atcp.sender", "Sender id", base.DEC))
field("length", ProtoField.uint16("atcp.length", "Body length", base.DEC))
field("counter", ProtoField.uint64("atcp.counter", "Frame counter", base.HEX))
field("epoch", ProtoField.uint32("atcp.epoch", "Boot epoch", base.DEC))
field("count", ProtoField.uint32("atcp.count", "Count in epoch", base.DEC))
field("tag", ProtoField.bytes("atcp.tag", "Tag (SipHash-2-4, little-endian)"))
field("tag_ok", ProtoField.uint8("atcp.tag_ok", "Tag verified", base.DEC))
field("padding", ProtoField.bytes("atcp.padding", "Padding"))
-- Shared body fields
field("stream", ProtoField.uint32("atcp.stream", "Stream id", base.HEX))
field("client_mac", ProtoField.ether("atcp.client_mac", "Client MAC"))
field("next_hop_mac", ProtoField.ether("atcp.next_hop_mac", "Next-hop MAC"))
field("client_ip", ProtoField.ipv4("atcp.client_ip", "Client IPv4"))
field("service_ip", ProtoField.ipv4("atcp.service_ip", "Service IPv4"))
field("client_port", ProtoField.uint16("atcp.client_port", "Client port", base.DEC))
field("service_port", ProtoField.uint16("atcp.service_port", "Service port", base.DEC))
field("ttl", ProtoField.uint8("atcp.ttl", "IP TTL", base.DEC))
field("opcode", ProtoField.uint8("atcp.opcode", "Service opcode", base.DEC, opcodes))
field("volume", ProtoField.uint8("atcp.volume", "Volume", base.DEC))
field("range_offset", ProtoField.uint64("atcp.range_offset", "Range offset", base.DEC))
field("range_length", ProtoField.uint64("atcp.range_length", "Range length", base.DEC))
field("initial_window", ProtoField.uint32("atcp.initial_window", "Initial window", base.DEC))
field("name_length", ProtoField.uint8("atcp.name_length", "Name length", base.DEC))
field("name", ProtoField.string("atcp.name", "Name"))
-- COMMAND
field("seq", ProtoField.uint32("atcp.seq", "Sequence number", base.DEC))
field("ack", ProtoField.uint32("atcp.ack", "Acknowledgement number", base.DEC))
field("window", ProtoField.uint16("atcp.window", "Client window (unscaled)", base.DEC))
field("wscale", ProtoField.uint8("atcp.wscale", "Window scale", base.DEC))
field("service_window", ProtoField.uint16("atcp.service_window", "Service window (for the board's segments)", base.DEC))
field("service_ack", ProtoField.uint32("atcp.service_ack", "Service ack number (for the board's segments)", base.DEC))
field("mss", ProtoField.uint16("atcp.mss", "MSS", base.DEC))
field("cmd_flags", ProtoField.uint16("atcp.cmd_flags", "Command flags", base.HEX))
field("cmd_sack", ProtoField.bool("atcp.cmd_flags.sack", "SACK permitted", 16, nil, 0x0001))
field("cmd_fin", ProtoField.bool("atcp.cmd_flags.fin", "FIN after reply", 16, nil, 0x0002))
field("srtt", ProtoField.uint16("atcp.srtt", "Smoothed RTT (ms)", base.DEC))
field("rttvar", ProtoField.uint16("atcp.rttvar", "RTT variation (ms)", base.DEC))
field("prefix_length", ProtoField.uint16("atcp.prefix_length", "Prefix length", base.DEC))
field("prefix", ProtoField.string("atcp.prefix", "Reply prefix"))
-- COMMAND_UDP
field("framing", ProtoField.uint8("atcp.framing", "Framing", base.DEC, framings))
field("block_size", ProtoField.uint16("atcp.block_size", "Block size", base.DEC))
field("window_size", ProtoField.uint16("atcp.window_size", "Window (blocks)", base.DEC))
field("first_block", ProtoField.uint16("atcp.first_block", "First block", base.DEC))
field("rto", ProtoField.uint16("atcp.rto", "Retransmit timeout (ms)", base.DEC))
field("max_retries", ProtoField.uint8("atcp.max_retries", "Max retransmissions", base.DEC))
-- SERVICE_ACK, DONE, ABORT
field("status", ProtoField.uint8("atcp.status", "Status", base.HEX, statuses))
field("reply_size", ProtoField.uint64("atcp.reply_size", "Reply size", base.DEC))
field("bytes_sent", ProtoField.uint64("atcp.bytes_sent", "Bytes sent", base.DEC))
field("bytes_acked", ProtoField.uint64("atcp.bytes_acked", "Bytes acknowledged", base.DEC))
field("total_bytes", ProtoField.uint64("atcp.total_bytes", "Total bytes", base.DEC))
field("retransmitted", ProtoField.uint32("atcp.retransmitted", "Retransmitted segments", base.DEC))
field("duration", ProtoField.uint32("atcp.duration", "Duration (ms)", base.DEC))
field("reason", ProtoField.uint8("atcp.reason", "Reason", base.DEC, reasons))
field("reserved", ProtoField.bytes("atcp.reserved", "Reserved"))
-- CLIENT_ACK, DATAGRAM_ACK, PATH_MTU
field("ack_flags", ProtoField.uint8("atcp.ack_flags", "Ack flags", base.HEX))
field("ack_dup", ProtoField.bool("atcp.ack_flags.duplicate", "Duplicate", 8, nil, 0x01))
field("ack_fin", ProtoField.bool("atcp.ack_flags.fin", "FIN seen", 8, nil, 0x02))
field("sack_count", ProtoField.uint8("atcp.sack_count", "SACK blocks", base.DEC))
field("ack_entries", ProtoField.uint8("atcp.ack_entries", "Relayed ACKs", base.DEC))
field("sack_left", ProtoField.uint32("atcp.sack_left", "SACK left edge", base.DEC))
field("sack_right", ProtoField.uint32("atcp.sack_right", "SACK right edge", base.DEC))
field("block", ProtoField.uint32("atcp.block", "Acknowledged block", base.DEC))
field("mtu", ProtoField.uint16("atcp.mtu", "Path MTU", base.DEC))
-- HELLO_REQUEST, HELLO
field("reply_spread", ProtoField.uint16("atcp.reply_spread", "Reply spread (ms)", base.DEC))
field("heartbeat", ProtoField.uint16("atcp.heartbeat", "Heartbeat interval (s)", base.DEC))
field("board_id", ProtoField.uint16("atcp.board_id", "Board id", base.DEC))
field("mac", ProtoField.ether("atcp.mac", "Board MAC"))
field("firmware", ProtoField.string("atcp.firmware", "Firmware version"))
field("boot_epoch", ProtoField.uint32("atcp.boot_epoch", "Boot epoch", base.DEC))
field("uptime", ProtoField.uint32("atcp.uptime", "Uptime (s)", base.DEC))
field("generation", ProtoField.uint32("atcp.generation", "Inventory generation", base.DEC))
field("active_streams", ProtoField.uint16("atcp.active_streams", "Active streams", base.DEC))
field("max_streams", ProtoField.uint16("atcp.max_streams", "Max streams", base.DEC))
field("hello_flags", ProtoField.uint8("atcp.hello_flags", "Hello flags", base.HEX))
field("hello_reply", ProtoField.bool("atcp.hello_flags.reply", "Reply to HELLO_REQUEST", 8, nil, 0x01))
field("hello_draining", ProtoField.bool("atcp.hello_flags.draining", "Draining", 8, nil, 0x02))
field("volume_count", ProtoField.uint8("atcp.volume_count", "Volumes", base.DEC))
field("vol_id", ProtoField.uint8("atcp.vol.id", "Volume id", base.DEC))
field("vol_kind", ProtoField.uint8("atcp.vol.kind", "Kind", base.DEC, volume_kinds))
field("vol_flags", ProtoField.uint8("atcp.vol.flags", "Volume flags", base.HEX))
field("vol_readonly", ProtoField.bool("atcp.vol.flags.read_only", "Read-only", 8, nil, 0x01))
field("vol_faulted", ProtoField.bool("atcp.vol.flags.faulted", "Faulted", 8, nil, 0x02))
field("vol_label", ProtoField.string("atcp.vol.label", "Label"))
field("vol_capacity", ProtoField.uint64("atcp.vol.capacity", "Capacity (bytes)", base.DEC))
field("vol_free", ProtoField.uint64("atcp.vol.free", "Free (bytes)", base.DEC))
field("vol_objects", ProtoField.uint32("atcp.vol.objects", "Objects", base.DEC))
-- INVENTORY_REQUEST, INVENTORY
field("max_entries", ProtoField.uint16("atcp.max_entries", "Max entries", base.DEC))
field("first_index", ProtoField.uint32("atcp.first_index", "First index", base.DEC))
field("inv_flags", ProtoField.uint8("atcp.inv_flags", "Inventory flags", base.HEX))
field("inv_last", ProtoField.bool("atcp.inv_flags.last", "Last page", 8, nil, 0x01))
field("entry_count", ProtoField.uint16("atcp.entry_count", "Entries", base.DEC))
field("total_entries", ProtoField.uint32("atcp.total_entries", "Total entries", base.DEC))
field("entry_kind", ProtoField.uint8("atcp.entry.kind", "Kind", base.DEC, object_kinds))
field("entry_size", ProtoField.uint64("atcp.entry.size", "Size", base.DEC))
field("entry_name", ProtoField.string("atcp.entry.name", "Name"))
field("entry_type", ProtoField.string("atcp.entry.type", "Content type"))
field("entry_etag", ProtoField.string("atcp.entry.etag", "ETag"))

local field_list = {}
for _, f in pairs(F) do table.insert(field_list, f) end
atcp.fields = field_list

local e_malformed = ProtoExpert.new("atcp.malformed", "Malformed ATCP body", expert.group.MALFORMED, expert.severity.ERROR)
local e_badtag = ProtoExpert.new("atcp.bad_tag", "Tag does not verify", expert.group.SECURITY, expert.severity.WARN)
atcp.experts = { e_malformed, e_badtag }

atcp.prefs.key = Pref.string("Cluster key (32 hex digits)", "", "128-bit SipHash key; empty = do not check tags")

---------------------------------------------------------------------------------------------------
-- SipHash-2-4 over UInt64 (paper: Aumasson and Bernstein, 2012).
local MASK8 = UInt64(0xFF, 0)

local function rotl(x, b) return x:lshift(b):bor(x:rshift(64 - b)) end

local function round(v)
    v[1] = v[1] + v[2]; v[2] = rotl(v[2], 13); v[2] = v[2]:bxor(v[1]); v[1] = rotl(v[1], 32)
    v[3] = v[3] + v[4]; v[4] = rotl(v[4], 16); v[4] = v[4]:bxor(v[3])
    v[1] = v[1] + v[4]; v[4] = rotl(v[4], 21); v[4] = v[4]:bxor(v[1])
    v[3] = v[3] + v[2]; v[2] = rotl(v[2], 17); v[2] = v[2]:bxor(v[3]); v[3] = rotl(v[3], 32)
end

local function le64(bytes, i) -- bytes: Lua string, i: 1-based
    local lo = bytes:byte(i) + bytes:byte(i + 1) * 256 + bytes:byte(i + 2) * 65536 + bytes:byte(i + 3) * 16777216
    local hi = bytes:byte(i + 4) + bytes:byte(i + 5) * 256 + bytes:byte(i + 6) * 65536 + bytes:byte(i + 7) * 16777216
    return UInt64(lo, hi)
end

local function siphash24(k0, k1, msg)
    local v = {
        UInt64(0x70736575, 0x736f6d65):bxor(k0), UInt64(0x6e646f6d, 0x646f7261):bxor(k1),
        UInt64(0x6e657261, 0x6c796765):bxor(k0), UInt64(0x79746573, 0x74656462):bxor(k1),
    }
    local n = #msg
    local full = n - (n % 8)
    for i = 1, full, 8 do
        local m = le64(msg, i)
        v[4] = v[4]:bxor(m); round(v); round(v); v[1] = v[1]:bxor(m)
    end
    local b = UInt64(0, (n % 256) * 16777216)
    for j = 0, (n % 8) - 1 do
        b = b:bor(UInt64(msg:byte(full + 1 + j), 0):lshift(8 * j))
    end
    v[4] = v[4]:bxor(b); round(v); round(v); v[1] = v[1]:bxor(b)
    v[3] = v[3]:bxor(MASK8)
    round(v); round(v); round(v); round(v)
    return v[1]:bxor(v[2]):bxor(v[3]):bxor(v[4])
end

local function key_halves()
    local hex = atcp.prefs.key or ""
    if #hex ~= 32 or hex:find("[^0-9a-fA-F]") then return nil end
    local raw = hex:gsub("..", function(h) return string.char(tonumber(h, 16)) end)
    return le64(raw, 1), le64(raw, 9)
end

---------------------------------------------------------------------------------------------------
-- Body decoders: each gets (buf = body TvbRange, tree); returns false when the body is malformed.

-- A string of len bytes at off; an empty one is shown on its length byte at off - 1 (a
-- zero-length range at the very end of a body is out of bounds for Wireshark).
local function add_string(tree, f, buf, off, len)
    if len > 0 then tree:add(f, buf(off, len)) else tree:add(f, buf(off - 1, 1), "") end
end

local function fixed_len(n) return function(buf) return buf:len() == n end end

local function addresses(t, buf, off)
    t:add(F.client_mac, buf(off + 4, 6))
    t:add(F.next_hop_mac, buf(off + 10, 6))
    t:add(F.client_ip, buf(off + 16, 4))
    t:add(F.service_ip, buf(off + 20, 4))
    t:add(F.client_port, buf(off + 24, 2))
    t:add(F.service_port, buf(off + 26, 2))
end

local decoders = {}

decoders[0x01] = function(buf, t) -- COMMAND
    local len = buf:len()
    if len < 75 then return false end
    t:add(F.stream, buf(0, 4)); addresses(t, buf, 0)
    t:add(F.seq, buf(28, 4)); t:add(F.ack, buf(32, 4)); t:add(F.window, buf(36, 2))
    t:add(F.wscale, buf(38, 1)); t:add(F.ttl, buf(39, 1)); t:add(F.service_window, buf(40, 2))
    t:add(F.mss, buf(42, 2))
    local ft = t:add(F.cmd_flags, buf(44, 2)); ft:add(F.cmd_sack, buf(44, 2)); ft:add(F.cmd_fin, buf(44, 2))
    t:add(F.srtt, buf(46, 2)); t:add(F.rttvar, buf(48, 2))
    t:add(F.opcode, buf(50, 1)); t:add(F.volume, buf(51, 1))
    t:add(F.range_offset, buf(52, 8)); t:add(F.range_length, buf(60, 8))
    t:add(F.initial_window, buf(68, 4))
    local n = buf(72, 1):uint()
    t:add(F.name_length, buf(72, 1))
    if 73 + n + 2 > len then return false end
    add_string(t, F.name, buf, 73, n)
    local p = buf(73 + n, 2):uint()
    t:add(F.prefix_length, buf(73 + n, 2))
    if p > 1024 or 75 + n + p ~= len then return false end
    add_string(t, F.prefix, buf, 75 + n, p)
    return true
end

decoders[0x02] = function(buf, t) -- COMMAND_UDP
    local len = buf:len()
    if len < 58 then return false end
    t:add(F.stream, buf(0, 4)); addresses(t, buf, 0)
    t:add(F.ttl, buf(28, 1)); t:add(F.framing, buf(29, 1)); t:add(F.block_size, buf(30, 2))
    t:add(F.window_size, buf(32, 2)); t:add(F.first_block, buf(34, 2)); t:add(F.rto, buf(36, 2))
    t:add(F.max_retries, buf(38, 1)); t:add(F.opcode, buf(39, 1))
    t:add(F.range_offset, buf(40, 8)); t:add(F.range_length, buf(48, 8)); t:add(F.volume, buf(56, 1))
    local n = buf(57, 1):uint()
    t:add(F.name_length, buf(57, 1))
    if 58 + n ~= len then return false end
    add_string(t, F.name, buf, 58, n)
    return true
end

decoders[0x03] = function(buf, t) -- CLIENT_ACK
    local len = buf:len()
    if len < 20 then return false end
    t:add(F.stream, buf(0, 4)); t:add(F.ack, buf(4, 4)); t:add(F.service_ack, buf(8, 4))
    t:add(F.window, buf(12, 2)); t:add(F.service_window, buf(14, 2))
    local ft = t:add(F.ack_flags, buf(16, 1)); ft:add(F.ack_dup, buf(16, 1)); ft:add(F.ack_fin, buf(16, 1))
    local n = buf(17, 1):uint()
    t:add(F.sack_count, buf(17, 1)); t:add(F.reserved, buf(18, 2))
    if n > 4 or 20 + 8 * n ~= len then return false end
    for i = 0, n - 1 do
        t:add(F.sack_left, buf(20 + 8 * i, 4)); t:add(F.sack_right, buf(24 + 8 * i, 4))
    end
    return true
end

decoders[0x08] = function(buf, t) -- CLIENT_ACKS: C entries laid out as CLIENT_ACK bodies without SACK
    local len = buf:len()
    if len < 4 then return false end
    local n = buf(0, 1):uint()
    t:add(F.ack_entries, buf(0, 1)); t:add(F.reserved, buf(1, 3))
    if n == 0 or 4 + 20 * n ~= len then return false end
    for i = 0, n - 1 do
        local e = buf(4 + 20 * i, 20)
        if e(17, 1):uint() ~= 0 then return false end
        local et = t:add(atcp, e, "Relayed ACK " .. (i + 1))
        et:add(F.stream, e(0, 4)); et:add(F.ack, e(4, 4)); et:add(F.service_ack, e(8, 4))
        et:add(F.window, e(12, 2)); et:add(F.service_window, e(14, 2))
        local ft = et:add(F.ack_flags, e(16, 1)); ft:add(F.ack_dup, e(16, 1)); ft:add(F.ack_fin, e(16, 1))
    end
    return true
end

decoders[0x04] = function(buf, t) -- DATAGRAM_ACK
    if buf:len() ~= 8 then return false end
    t:add(F.stream, buf(0, 4)); t:add(F.block, buf(4, 4))
    return true
end

decoders[0x05] = function(buf, t) -- PATH_MTU
    if buf:len() ~= 8 then return false end
    t:add(F.stream, buf(0, 4)); t:add(F.mtu, buf(4, 2)); t:add(F.reserved, buf(6, 2))
    return true
end

decoders[0x06] = function(buf, t) -- HELLO_REQUEST
    if buf:len() ~= 4 then return false end
    t:add(F.reply_spread, buf(0, 2)); t:add(F.heartbeat, buf(2, 2))
    return true
end

decoders[0x07] = function(buf, t) -- INVENTORY_REQUEST
    if buf:len() ~= 8 then return false end
    t:add(F.volume, buf(0, 1)); t:add(F.reserved, buf(1, 1))
    t:add(F.max_entries, buf(2, 2)); t:add(F.first_index, buf(4, 4))
    return true
end

decoders[0x40] = function(buf, t) -- ABORT
    if buf:len() ~= 8 then return false end
    t:add(F.stream, buf(0, 4)); t:add(F.reason, buf(4, 1)); t:add(F.reserved, buf(5, 3))
    return true
end

decoders[0x81] = function(buf, t) -- SERVICE_ACK
    if buf:len() ~= 32 then return false end
    t:add(F.stream, buf(0, 4)); t:add(F.status, buf(4, 1)); t:add(F.reserved, buf(5, 3))
    t:add(F.reply_size, buf(8, 8)); t:add(F.bytes_sent, buf(16, 8)); t:add(F.bytes_acked, buf(24, 8))
    return true
end

decoders[0x82] = function(buf, t) -- HELLO
    local len = buf:len()
    if len < 32 then return false end
    t:add(F.board_id, buf(0, 2)); t:add(F.mac, buf(2, 6))
    local fw = string.format("%d.%d.%d", buf(8, 1):uint(), buf(9, 1):uint(), buf(10, 2):uint())
    t:add(F.firmware, buf(8, 4), fw)
    t:add(F.boot_epoch, buf(12, 4)); t:add(F.uptime, buf(16, 4)); t:add(F.generation, buf(20, 4))
    t:add(F.active_streams, buf(24, 2)); t:add(F.max_streams, buf(26, 2)); t:add(F.heartbeat, buf(28, 2))
    local hf = t:add(F.hello_flags, buf(30, 1)); hf:add(F.hello_reply, buf(30, 1)); hf:add(F.hello_draining, buf(30, 1))
    local n = buf(31, 1):uint()
    t:add(F.volume_count, buf(31, 1))
    if n > 4 or 32 + 56 * n ~= len then return false end
    for i = 0, n - 1 do
        local o = 32 + 56 * i
        local vt = t:add(buf(o, 56), "Volume " .. i)
        vt:add(F.vol_id, buf(o, 1)); vt:add(F.vol_kind, buf(o + 1, 1)); local vf = vt:add(F.vol_flags, buf(o + 2, 1))
        vf:add(F.vol_readonly, buf(o + 2, 1)); vf:add(F.vol_faulted, buf(o + 2, 1))
        local l = buf(o + 3, 1):uint()
        if l > 32 then return false end
        add_string(vt, F.vol_label, buf, o + 4, l)
        vt:add(F.vol_capacity, buf(o + 36, 8)); vt:add(F.vol_free, buf(o + 44, 8)); vt:add(F.vol_objects, buf(o + 52, 4))
    end
    return true
end

decoders[0x83] = function(buf, t) -- INVENTORY
    local len = buf:len()
    if len < 16 then return false end
    t:add(F.volume, buf(0, 1))
    local ft = t:add(F.inv_flags, buf(1, 1)); ft:add(F.inv_last, buf(1, 1))
    t:add(F.entry_count, buf(2, 2)); t:add(F.generation, buf(4, 4))
    t:add(F.total_entries, buf(8, 4)); t:add(F.first_index, buf(12, 4))
    local n = buf(2, 2):uint()
    if n > 64 then return false end
    local p = 16
    for i = 0, n - 1 do
        if p + 10 > len then return false end
        local nl = buf(p + 9, 1):uint()
        if nl == 0 or p + 10 + nl + 1 > len then return false end
        local tl = buf(p + 10 + nl, 1):uint()
        if tl > 64 or p + 11 + nl + tl + 1 > len then return false end
        local el = buf(p + 11 + nl + tl, 1):uint()
        if el > 64 or p + 12 + nl + tl + el > len then return false end
        local size = 12 + nl + tl + el
        local et = t:add(buf(p, size), "Entry " .. i)
        et:add(F.entry_kind, buf(p, 1)); et:add(F.entry_size, buf(p + 1, 8))
        add_string(et, F.entry_name, buf, p + 10, nl)
        add_string(et, F.entry_type, buf, p + 11 + nl, tl)
        add_string(et, F.entry_etag, buf, p + 12 + nl + tl, el)
        p = p + size
    end
    return p == len
end

decoders[0x84] = function(buf, t) -- DONE
    if buf:len() ~= 20 then return false end
    t:add(F.stream, buf(0, 4)); t:add(F.total_bytes, buf(4, 8))
    t:add(F.retransmitted, buf(12, 4)); t:add(F.duration, buf(16, 4))
    return true
end

---------------------------------------------------------------------------------------------------

local frame_field = Field.new("frame")

function atcp.dissector(tvb, pinfo, tree)
    -- tvb starts after the Ethernet header (offset 14 of the frame).
    if tvb:len() < 28 then return 0 end
    pinfo.cols.protocol = "ATCP"
    local body_len = tvb(10, 2):uint()
    local sealed = 20 + body_len + 8
    local t = tree:add(atcp, tvb(0, math.min(sealed, tvb:len())))
    t:add(F.version, tvb(0, 1))
    local mtype = tvb(1, 1):uint()
    t:add(F.type, tvb(1, 1))
    local ft = t:add(F.flags, tvb(2, 2)); ft:add(F.flag_retx, tvb(2, 2))
    t:add(F.cluster, tvb(4, 4)); t:add(F.sender, tvb(8, 2)); t:add(F.length, tvb(10, 2))
    local ct = t:add(F.counter, tvb(12, 8))
    ct:add(F.epoch, tvb(12, 4)); ct:add(F.count, tvb(16, 4))
    local name = message_types[mtype] or string.format("UNKNOWN_0x%02x", mtype)
    pinfo.cols.info = string.format("%s sender=%d len=%d", name, tvb(8, 2):uint(), body_len)
    if stream_scoped[mtype] and body_len >= 4 and tvb:len() >= 24 then
        pinfo.cols.info:append(string.format(" stream=0x%08x", tvb(20, 4):uint()))
    end
    if sealed > tvb:len() then
        t:add_proto_expert_info(e_malformed, "frame shorter than header + body + tag")
        return tvb:len()
    end
    local body = tvb(20, body_len)
    local decoder = decoders[mtype]
    if decoder then
        local bt = t:add(body, name)
        local ok, result = pcall(decoder, body, bt)
        if not ok or not result then bt:add_proto_expert_info(e_malformed) end
    end
    t:add(F.tag, tvb(20 + body_len, 8))
    local k0, k1 = key_halves()
    if k0 then
        -- The tag covers the frame from the destination MAC: 14 Ethernet bytes before this tvb.
        local frame = frame_field()
        local covered = frame.range:raw(0, 14 + 20 + body_len)
        local expected = siphash24(k0, k1, covered)
        local got = le64(tvb(20 + body_len, 8):raw(), 1)
        local ok = (expected == got) and 1 or 0
        t:add(F.tag_ok, tvb(20 + body_len, 8), ok)
        if ok == 0 then t:add_proto_expert_info(e_badtag) end
    end
    if tvb:len() > sealed then t:add(F.padding, tvb(sealed, tvb:len() - sealed)) end
    return tvb:len()
end

DissectorTable.get("ethertype"):add(0x88B5, atcp)
