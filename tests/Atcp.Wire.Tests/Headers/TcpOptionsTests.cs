using Atcp.Wire.Tcp;

namespace Atcp.Wire.Tests.Headers;

/// <summary>TCP option lists: each known kind, unknown kinds kept, malformed lists refused, and the
/// emit layout when options crowd the 40 bytes.</summary>
public class TcpOptionsTests
{
    // A 20-byte header followed by the given option bytes padded with zeros to a multiple of 4.
    static byte[] Segment(params byte[] options)
    {
        int headerLength = 20 + ((options.Length + 3) & ~3);
        var segment = new byte[headerLength];
        TcpHeader.SetHeaderLength(segment, 0, headerLength);
        options.CopyTo(segment, 20);
        return segment;
    }

    static ParseStatus Parse(TcpRepr tcp, byte[] segment) => tcp.Parse(segment, 0, segment.Length);

    static TcpRepr RoundTrip(TcpRepr tcp)
    {
        var segment = new byte[tcp.Length];
        tcp.Emit(segment, 0);
        Assert.Equal(0, segment.Length % 4);
        var parsed = new TcpRepr();
        Assert.Equal(ParseStatus.Ok, parsed.Parse(segment, 0, segment.Length));
        return parsed;
    }

    [Fact]
    public void Parse_OfFourSackBlocks_GivesAll()
    {
        var options = new List<byte> { 1, 1, 5, 34 };
        for (uint i = 0; i < 8; i++) options.AddRange([0, 0, 0, (byte)(i + 1)]);
        var tcp = new TcpRepr();
        Assert.Equal(ParseStatus.Ok, Parse(tcp, Segment([.. options])));
        Assert.Equal(4, tcp.SackBlockCount);
        Assert.Equal(new uint[] { 1, 3, 5, 7 }, tcp.SackLeft);
        Assert.Equal(new uint[] { 2, 4, 6, 8 }, tcp.SackRight);
    }

    [Fact]
    public void Parse_AfterEndOfList_IgnoresRest()
    {
        var tcp = new TcpRepr();
        Assert.Equal(ParseStatus.Ok, Parse(tcp, Segment(2, 4, 0x05, 0xB4, 0, 0xFF, 0xFF, 0xFF)));
        Assert.True(tcp.HasMaxSegmentSize);
        Assert.Equal(0, tcp.UnknownOptionsLength);
    }

    [Fact]
    public void Parse_OfSeveralUnknownKinds_KeepsThemInOrder()
    {
        byte[] unknown = [30, 4, 0xAA, 0xBB, 254, 6, 0x12, 0x34, 1, 2];
        var tcp = new TcpRepr();
        Assert.Equal(ParseStatus.Ok, Parse(tcp, Segment([1, .. unknown[..4], 1, .. unknown[4..]])));
        Assert.Equal(unknown, tcp.UnknownOptions[..tcp.UnknownOptionsLength]);
        var back = RoundTrip(tcp);
        Assert.Equal(unknown, back.UnknownOptions[..back.UnknownOptionsLength]);
    }

    [Fact]
    public void Parse_OfNewSegment_ClearsOptionsOfPreviousOne()
    {
        var tcp = new TcpRepr();
        Assert.Equal(ParseStatus.Ok, Parse(tcp, Segment(2, 4, 0x05, 0xB4, 4, 2, 30, 2)));
        Assert.Equal(ParseStatus.Ok, Parse(tcp, Segment()));
        Assert.False(tcp.HasMaxSegmentSize);
        Assert.False(tcp.SackPermitted);
        Assert.Equal(0, tcp.UnknownOptionsLength);
    }

    [Theory]
    [InlineData(new byte[] { 2 }, "kind without length byte")]
    [InlineData(new byte[] { 1, 1, 1, 30 }, "last byte is a kind without length")]
    [InlineData(new byte[] { 30, 0 }, "length 0")]
    [InlineData(new byte[] { 30, 1 }, "length 1")]
    [InlineData(new byte[] { 30, 5, 0 }, "length past the header")]
    [InlineData(new byte[] { 2, 3, 5 }, "MSS of length 3")]
    [InlineData(new byte[] { 3, 4, 7, 0 }, "window scale of length 4")]
    [InlineData(new byte[] { 4, 3, 0 }, "SACK-permitted of length 3")]
    [InlineData(new byte[] { 5, 2 }, "SACK with no block")]
    [InlineData(new byte[] { 5, 9, 0, 0, 0, 0, 0, 0, 0 }, "SACK of length 9")]
    [InlineData(new byte[] { 8, 8, 0, 0, 0, 0, 0, 0 }, "timestamps of length 8")]
    public void Parse_OfMalformedList_IsBadOption(byte[] options, string what)
    {
        Assert.True(ParseStatus.BadOption == Parse(new TcpRepr(), Segment(options)), what);
    }

    [Fact]
    public void Emit_OfEveryKnownOption_RoundTrips()
    {
        var tcp = new TcpRepr
        {
            HasMaxSegmentSize = true, MaxSegmentSize = 536, HasWindowScale = true, WindowScale = 14,
            HasTimestamps = true, TimestampValue = 0xFFFFFFFF, TimestampEcho = 1, SackBlockCount = 1,
        };
        tcp.SackLeft[0] = 100;
        tcp.SackRight[0] = 200;
        var back = RoundTrip(tcp);
        Assert.Equal(536, back.MaxSegmentSize);
        Assert.Equal(14, back.WindowScale);
        Assert.Equal(0xFFFFFFFFu, back.TimestampValue);
        Assert.Equal(1u, back.TimestampEcho);
        Assert.Equal(1, back.SackBlockCount);
        Assert.Equal(100u, back.SackLeft[0]);
        Assert.Equal(200u, back.SackRight[0]);
        Assert.False(back.SackPermitted);
    }

    [Fact]
    public void Emit_OfSackPermittedAlone_AlignsWithNops()
    {
        var tcp = new TcpRepr { SackPermitted = true };
        var segment = new byte[tcp.Length];
        tcp.Emit(segment, 0);
        Assert.Equal(new byte[] { 1, 1, 4, 2 }, segment[20..]);
    }

    [Fact]
    public void Emit_WithTimestampsAndFourSackBlocks_SendsThreeBlocks()
    {
        // RFC 2018 section 3: with timestamps only three blocks fit.
        var tcp = new TcpRepr { HasTimestamps = true, SackBlockCount = 4 };
        for (int i = 0; i < 4; i++) { tcp.SackLeft[i] = (uint)(10 * i); tcp.SackRight[i] = (uint)(10 * i + 5); }
        Assert.Equal(60, tcp.Length);
        var back = RoundTrip(tcp);
        Assert.Equal(3, back.SackBlockCount);
        Assert.Equal(new uint[] { 0, 10, 20 }, back.SackLeft[..3]);
        Assert.True(back.HasTimestamps);
    }

    [Fact]
    public void Emit_WhenAlignedLayoutOverflows_UsesCompactLayout()
    {
        // Parsed from a list without NOPs that the aligned layout would grow past 40 bytes.
        byte[] options = [2, 4, 0x05, 0xB4, 3, 3, 7, 4, 2, 5, 18, .. new byte[16], 30, 9, .. new byte[7]];
        var tcp = new TcpRepr();
        Assert.Equal(ParseStatus.Ok, Parse(tcp, Segment(options)));
        Assert.Equal(20 + 36, tcp.Length); // aligned would need 41 option bytes
        var back = RoundTrip(tcp);
        Assert.Equal(1460, back.MaxSegmentSize);
        Assert.Equal(7, back.WindowScale);
        Assert.True(back.SackPermitted);
        Assert.Equal(2, back.SackBlockCount);
        Assert.Equal(9, back.UnknownOptionsLength);
    }

    [Fact]
    public void Emit_WhenUnknownOptionsCannotFit_LeavesThemOut()
    {
        var tcp = new TcpRepr { HasMaxSegmentSize = true, SackPermitted = true, HasTimestamps = true, HasWindowScale = true };
        tcp.UnknownOptions[0] = 30;
        tcp.UnknownOptions[1] = 30;
        tcp.UnknownOptionsLength = 30;
        Assert.Equal(40, tcp.Length);
        var back = RoundTrip(tcp);
        Assert.Equal(0, back.UnknownOptionsLength);
        Assert.True(back.HasMaxSegmentSize && back.SackPermitted && back.HasTimestamps && back.HasWindowScale);
    }

    [Fact]
    public void Emit_WithOutOfRangeCounts_ClampsInsteadOfThrowing()
    {
        var tcp = new TcpRepr { SackBlockCount = 9, UnknownOptionsLength = 99 };
        var segment = new byte[tcp.Length];
        tcp.Emit(segment, 0);
        Assert.True(segment.Length <= TcpHeader.MaxLength);
    }

    [Fact]
    public void Reset_ClearsEverything()
    {
        var tcp = new TcpRepr { SourcePort = 1, Flags = TcpFlags.Syn, HasMaxSegmentSize = true, SackBlockCount = 2, UnknownOptionsLength = 4 };
        tcp.Reset();
        Assert.Equal(20, tcp.Length);
        Assert.Equal(0, tcp.SourcePort);
        Assert.Equal(0, tcp.Flags);
    }
}
