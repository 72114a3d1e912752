namespace Atcp.Wire.Tests.Golden;

/// <summary>Whole Ethernet frames assembled by hand (field by field, with an independent checksum
/// routine) and decoded by tshark 4.0 with checksum validation on, which reported every checksum
/// good and every field as listed here. Hosts: A = 02:00:00:00:00:01 / 198.18.0.1,
/// B = 02:00:00:00:00:02 / 198.18.0.2, router R = 198.18.0.254.</summary>
public static class GoldenFrames
{
    /// <summary>Offset of the IP header (or ARP packet) in every frame here.</summary>
    public const int L3 = 14;
    /// <summary>Offset of the transport header in every IPv4 frame here (no IP options).</summary>
    public const int L4 = 34;

    /// <summary>A asks who has 198.18.0.2: broadcast, opcode 1, target MAC zero.</summary>
    public static readonly byte[] ArpRequest = Convert.FromHexString(
        "ffffffffffff" + "020000000001" + "0806"
        + "0001" + "0800" + "06" + "04" + "0001"
        + "020000000001" + "c6120001" + "000000000000" + "c6120002");

    /// <summary>B answers A: 198.18.0.2 is at 02:00:00:00:00:02, opcode 2.</summary>
    public static readonly byte[] ArpReply = Convert.FromHexString(
        "020000000001" + "020000000002" + "0806"
        + "0001" + "0800" + "06" + "04" + "0002"
        + "020000000002" + "c6120002" + "020000000001" + "c6120001");

    /// <summary>A pings B: IP id 0x0101, DF, TTL 64, checksum 0xadb0; ICMP echo request id 0x1234
    /// seq 1, checksum 0x5435, data "abcdefgh".</summary>
    public static readonly byte[] IcmpEchoRequest = Convert.FromHexString(
        "020000000002" + "020000000001" + "0800"
        + "4500" + "0024" + "0101" + "4000" + "40" + "01" + "adb0" + "c6120001" + "c6120002"
        + "08" + "00" + "5435" + "1234" + "0001" + "6162636465666768");

    /// <summary>A opens a connection to B port 80: IP id 0x0202, DF, checksum 0xac8e; TCP 40000 > 80,
    /// seq 0x11223344, SYN, window 64240, header 44 bytes, checksum 0xbcad; options MSS 1460,
    /// SACK-permitted, timestamps TSval 0x01020304 TSecr 0, NOP, window scale 7, and the RFC 6994
    /// experimental kind 253 with ExID 0x1234 (an option this code does not know).</summary>
    public static readonly byte[] TcpSyn = Convert.FromHexString(
        "020000000002" + "020000000001" + "0800"
        + "4500" + "0040" + "0202" + "4000" + "40" + "06" + "ac8e" + "c6120001" + "c6120002"
        + "9c40" + "0050" + "11223344" + "00000000" + "b0" + "02" + "faf0" + "bcad" + "0000"
        + "020405b4" + "0402" + "080a" + "01020304" + "00000000" + "01" + "030307" + "fd041234");

    /// <summary>B sends A 12 bytes: IP id 0x0303, DF, checksum 0xab79; TCP 80 > 40000, seq 0x55667700,
    /// ack 0x11223345, PSH+ACK, window 502, header 52 bytes, checksum 0x04ed; options NOP NOP
    /// timestamps TSval 0x01020305 TSecr 0x0a0b0c0d, NOP NOP SACK 0x55667788-0x55667799 and
    /// 0x556677aa-0x556677bb; payload "hello world\n".</summary>
    public static readonly byte[] TcpData = Convert.FromHexString(
        "020000000001" + "020000000002" + "0800"
        + "4500" + "0054" + "0303" + "4000" + "40" + "06" + "ab79" + "c6120002" + "c6120001"
        + "0050" + "9c40" + "55667700" + "11223345" + "d0" + "18" + "01f6" + "04ed" + "0000"
        + "0101" + "080a" + "01020305" + "0a0b0c0d" + "0101" + "0512" + "55667788" + "55667799" + "556677aa" + "556677bb"
        + "68656c6c6f20776f726c640a");

    /// <summary>R tells A the SYN above needs fragmenting: IP id 0x0404, no DF, checksum 0xe99d;
    /// ICMP type 3 code 4, checksum 0x168d, next-hop MTU 1400, then the SYN's IP header and its
    /// first 8 TCP bytes (ports and sequence number).</summary>
    public static readonly byte[] IcmpFragmentationNeeded = Convert.FromHexString(
        "020000000001" + "020000000002" + "0800"
        + "4500" + "0038" + "0404" + "0000" + "40" + "01" + "e99d" + "c61200fe" + "c6120001"
        + "03" + "04" + "168d" + "0000" + "0578"
        + "45000040020240004006ac8ec6120001c6120002" + "9c40005011223344");

    /// <summary>A sends B a UDP datagram: IP id 0x0505, checksum 0xe9a0; UDP 40001 > 9, length 12,
    /// checksum 0xf892, payload "ping".</summary>
    public static readonly byte[] Udp = Convert.FromHexString(
        "020000000002" + "020000000001" + "0800"
        + "4500" + "0020" + "0505" + "0000" + "40" + "11" + "e9a0" + "c6120001" + "c6120002"
        + "9c41" + "0009" + "000c" + "f892" + "70696e67");

    /// <summary>A UDP datagram (1000 > 2000, payload 0x67fa) whose checksum computes to zero and is
    /// therefore sent as 0xffff (RFC 768).</summary>
    public static readonly byte[] UdpZeroChecksum = Convert.FromHexString(
        "020000000002" + "020000000001" + "0800"
        + "4500" + "001e" + "0606" + "0000" + "40" + "11" + "e8a1" + "c6120001" + "c6120002"
        + "03e8" + "07d0" + "000a" + "ffff" + "67fa");

    /// <summary>Every golden frame with its name, for tests that run over all of them.</summary>
    public static IEnumerable<object[]> All() =>
    [
        ["ArpRequest", ArpRequest], ["ArpReply", ArpReply], ["IcmpEchoRequest", IcmpEchoRequest],
        ["TcpSyn", TcpSyn], ["TcpData", TcpData], ["IcmpFragmentationNeeded", IcmpFragmentationNeeded],
        ["Udp", Udp], ["UdpZeroChecksum", UdpZeroChecksum],
    ];

    /// <summary>A fresh copy, so a test may modify it.</summary>
    public static byte[] Copy(byte[] frame) => (byte[])frame.Clone();
}
