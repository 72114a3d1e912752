using Atcp.TestSupport;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Tests.Golden;
using Atcp.Wire.Udp;

namespace Atcp.Wire.Tests.Fuzz;

/// <summary>Parsers face whatever arrives on the wire: they must never throw, and must refuse input
/// that is cut short. Inputs are exact-size arrays, so reading one byte past the given length
/// throws and fails the test.</summary>
public class ParserFuzzTests
{
    const uint A = 0xC6120001, B = 0xC6120002;

    // Runs every parser over buffer[0..buffer.Length); returns nothing, only must not throw.
    static void ParseWithEverything(byte[] buffer)
    {
        int n = buffer.Length;
        new EthernetRepr().Parse(buffer, 0, n);
        new ArpRepr().Parse(buffer, 0, n);
        ArpPacket.Check(buffer, 0, n);
        new IPv4Repr().Parse(buffer, 0, n);
        IPv4Header.Check(buffer, 0, n);
        new IcmpRepr().Parse(buffer, 0, n);
        new TcpRepr().Parse(buffer, 0, n);
        new TcpRepr().Parse(buffer, 0, n, A, B);
        new UdpRepr().Parse(buffer, 0, n);
        new UdpRepr().Parse(buffer, 0, n, A, B);
        DecodedFrame.Decode(buffer);
    }

    [Fact]
    public void EveryParser_OnRandomBytes_NeverThrows()
    {
        var random = new Random(11);
        for (int i = 0; i < 20_000; i++)
        {
            var buffer = new byte[random.Next(0, 90)];
            random.NextBytes(buffer);
            // Make deeper code paths reachable: plausible version/IHL, data offset, lengths.
            if (buffer.Length > 12 && random.Next(2) == 0)
            {
                buffer[0] = (byte)(0x40 | random.Next(16));
                buffer[12] = (byte)(random.Next(16) << 4);
                buffer[2] = 0;
                buffer[3] = (byte)random.Next(buffer.Length + 4);
            }
            if (buffer.Length > 8 && random.Next(4) == 0) buffer[4] = 0;
            ParseWithEverything(buffer);
        }
    }

    [Fact]
    public void TcpOptionParser_OnRandomOptionBytes_NeverThrows()
    {
        var random = new Random(12);
        var tcp = new TcpRepr();
        for (int i = 0; i < 20_000; i++)
        {
            int headerLength = 20 + 4 * random.Next(0, 11);
            var segment = new byte[headerLength];
            random.NextBytes(segment);
            TcpHeader.SetHeaderLength(segment, 0, headerLength);
            // Bias kinds towards the known ones so their length checks run.
            for (int p = 20; p < headerLength; p++) if (random.Next(3) == 0) segment[p] = (byte)random.Next(0, 9);
            var status = tcp.Parse(segment, 0, segment.Length);
            Assert.True(status == ParseStatus.Ok || status == ParseStatus.BadOption, status.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(GoldenFrames.All), MemberType = typeof(GoldenFrames))]
    public void DecodeFrame_OfEveryTruncation_RefusesWithoutThrowing(string name, byte[] frame)
    {
        Assert.Equal(ParseStatus.Ok, DecodedFrame.Decode(frame).Status);
        for (int length = 0; length < frame.Length; length++)
        {
            var decoded = DecodedFrame.Decode(frame[..length]);
            Assert.True(decoded.Status != ParseStatus.Ok, name + " cut to " + length + " bytes decoded as " + decoded);
        }
    }

    [Theory]
    [MemberData(nameof(GoldenFrames.All), MemberType = typeof(GoldenFrames))]
    public void LayerParser_OfEveryTruncationOfItsLayer_ReturnsNonOk(string name, byte[] frame)
    {
        int l3 = GoldenFrames.L3, l4 = GoldenFrames.L4;
        for (int cut = 0; cut < frame.Length - l3; cut++)
        {
            var packet = frame[l3..(l3 + cut)];
            if (name.StartsWith("Arp")) { Assert.NotEqual(ParseStatus.Ok, new ArpRepr().Parse(packet, 0, cut)); continue; }
            Assert.NotEqual(ParseStatus.Ok, new IPv4Repr().Parse(packet, 0, cut));
            if (cut < 20) continue;
            var segment = packet[20..];
            int n = segment.Length;
            uint source = IPv4Header.GetSource(frame, l3), destination = IPv4Header.GetDestination(frame, l3);
            var status = name switch
            {
                "TcpSyn" or "TcpData" => new TcpRepr().Parse(segment, 0, n, source, destination),
                "Udp" or "UdpZeroChecksum" => new UdpRepr().Parse(segment, 0, n, source, destination),
                _ => new IcmpRepr().Parse(segment, 0, n),
            };
            Assert.True(status != ParseStatus.Ok, name + " transport cut to " + n + " of " + (frame.Length - l4) + " bytes parsed Ok");
        }
    }

    [Theory]
    [MemberData(nameof(GoldenFrames.All), MemberType = typeof(GoldenFrames))]
    public void DecodeFrame_OfRandomlyCorruptedGolden_NeverThrows(string name, byte[] frame)
    {
        var random = new Random(name.Length * 7919);
        for (int i = 0; i < 3000; i++)
        {
            var copy = GoldenFrames.Copy(frame);
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
            var cut = copy[..random.Next(copy.Length / 2, copy.Length + 1)];
            ParseWithEverything(cut);
            ParseWithEverything(cut[GoldenFrames.L3..]);
            if (cut.Length > GoldenFrames.L4) ParseWithEverything(cut[GoldenFrames.L4..]);
        }
    }

    [Fact]
    public void EveryEmit_OfRandomFields_NeverThrowsIntoBufferOfLength()
    {
        var random = new Random(13);
        for (int i = 0; i < 5000; i++)
        {
            var tcp = new TcpRepr
            {
                HasMaxSegmentSize = random.Next(2) == 0, SackPermitted = random.Next(2) == 0,
                HasTimestamps = random.Next(2) == 0, HasWindowScale = random.Next(2) == 0,
                SackBlockCount = random.Next(-1, 7), UnknownOptionsLength = random.Next(-1, 45),
                Flags = (byte)random.Next(256),
            };
            var t = new byte[tcp.Length];
            tcp.Emit(t, 0);
            Assert.True(t.Length <= TcpHeader.MaxLength && t.Length % 4 == 0);
            Assert.Equal(ParseStatus.Ok, new TcpRepr().Parse(t, 0, t.Length));

            var ip = new IPv4Repr { OptionsLength = random.Next(-2, 50), PayloadLength = random.Next(0, 1500), FragmentOffset = random.Next(0, 70000) };
            var p = new byte[ip.Length + ip.PayloadLength];
            ip.Emit(p, 0);
            Assert.Equal(ParseStatus.Ok, new IPv4Repr().Parse(p, 0, p.Length));

            var icmp = new IcmpRepr { Type = (byte)random.Next(256), DataLength = random.Next(0, 64) };
            var m = new byte[icmp.Length];
            icmp.Emit(m, 0);
            Assert.True(IcmpHeader.VerifyChecksum(m, 0, m.Length));
        }
    }
}
