using Atcp.Wire.Tcp;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.Headers;

/// <summary>TCP header (RFC 9293): golden segments both ways, the pseudo-header checksum (from
/// the buffer and from a supplied payload sum), and malformed headers.</summary>
public class TcpTests
{
    const uint A = 0xC6120001, B = 0xC6120002;

    static int SegmentLength(byte[] frame) => frame.Length - GoldenFrames.L4;

    [Fact]
    public void Parse_OfGoldenSyn_GivesFieldsAndOptions()
    {
        var tcp = new TcpRepr();
        var frame = GoldenFrames.TcpSyn;
        Assert.Equal(ParseStatus.Ok, tcp.Parse(frame, GoldenFrames.L4, SegmentLength(frame), A, B));
        Assert.Equal(40000, tcp.SourcePort);
        Assert.Equal(80, tcp.DestinationPort);
        Assert.Equal(0x11223344u, tcp.SequenceNumber);
        Assert.Equal(0u, tcp.AcknowledgmentNumber);
        Assert.Equal(TcpFlags.Syn, tcp.Flags);
        Assert.Equal(64240, tcp.Window);
        Assert.True(tcp.HasMaxSegmentSize);
        Assert.Equal(1460, tcp.MaxSegmentSize);
        Assert.True(tcp.SackPermitted);
        Assert.True(tcp.HasTimestamps);
        Assert.Equal(0x01020304u, tcp.TimestampValue);
        Assert.Equal(0u, tcp.TimestampEcho);
        Assert.True(tcp.HasWindowScale);
        Assert.Equal(7, tcp.WindowScale);
        Assert.Equal(0, tcp.SackBlockCount);
        Assert.Equal(new byte[] { 0xfd, 0x04, 0x12, 0x34 }, tcp.UnknownOptions[..tcp.UnknownOptionsLength]);
        Assert.Equal(0, tcp.PayloadLength);
        Assert.Equal(44, tcp.Length);
    }

    [Fact]
    public void Parse_OfGoldenData_GivesSackTimestampsAndPayload()
    {
        var tcp = new TcpRepr();
        var frame = GoldenFrames.TcpData;
        Assert.Equal(ParseStatus.Ok, tcp.Parse(frame, GoldenFrames.L4, SegmentLength(frame), B, A));
        Assert.Equal(0x55667700u, tcp.SequenceNumber);
        Assert.Equal(0x11223345u, tcp.AcknowledgmentNumber);
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, tcp.Flags);
        Assert.Equal(502, tcp.Window);
        Assert.False(tcp.HasMaxSegmentSize);
        Assert.True(tcp.HasTimestamps);
        Assert.Equal(0x0a0b0c0du, tcp.TimestampEcho);
        Assert.Equal(2, tcp.SackBlockCount);
        Assert.Equal(new uint[] { 0x55667788, 0x556677aa }, tcp.SackLeft[..2]);
        Assert.Equal(new uint[] { 0x55667799, 0x556677bb }, tcp.SackRight[..2]);
        Assert.Equal(0, tcp.UnknownOptionsLength);
        Assert.Equal(GoldenFrames.L4 + 52, tcp.PayloadOffset);
        Assert.Equal("hello world\n", System.Text.Encoding.ASCII.GetString(frame, tcp.PayloadOffset, tcp.PayloadLength));
    }

    [Theory]
    [InlineData("TcpSyn", A, B)]
    [InlineData("TcpData", B, A)]
    public void ParseThenEmitAndFill_OfGolden_ReproducesSegment(string name, uint source, uint destination)
    {
        var frame = name == "TcpSyn" ? GoldenFrames.TcpSyn : GoldenFrames.TcpData;
        var tcp = new TcpRepr();
        Assert.Equal(ParseStatus.Ok, tcp.Parse(frame, GoldenFrames.L4, SegmentLength(frame)));
        var output = new byte[tcp.Length + tcp.PayloadLength];
        tcp.Emit(output, 0);
        Array.Copy(frame, tcp.PayloadOffset, output, tcp.Length, tcp.PayloadLength);
        TcpHeader.FillChecksum(source, destination, output, 0, output.Length);
        Assert.Equal(frame[GoldenFrames.L4..], output);
    }

    [Fact]
    public void Emit_OfSynBuiltFromFields_MatchesGolden()
    {
        var tcp = new TcpRepr
        {
            SourcePort = 40000, DestinationPort = 80, SequenceNumber = 0x11223344, Flags = TcpFlags.Syn, Window = 64240,
            HasMaxSegmentSize = true, MaxSegmentSize = 1460, SackPermitted = true,
            HasTimestamps = true, TimestampValue = 0x01020304, HasWindowScale = true, WindowScale = 7,
        };
        byte[] experimental = [0xfd, 0x04, 0x12, 0x34];
        experimental.CopyTo(tcp.UnknownOptions, 0);
        tcp.UnknownOptionsLength = 4;
        var output = new byte[tcp.Length];
        tcp.Emit(output, 0);
        TcpHeader.FillChecksum(A, B, output, 0, output.Length);
        Assert.Equal(GoldenFrames.TcpSyn[GoldenFrames.L4..], output);
    }

    [Fact]
    public void FillWithPayloadSum_EqualsFillFromBuffer()
    {
        var random = new Random(5);
        for (int n = 0; n < 200; n++)
        {
            var tcp = new TcpRepr { SourcePort = 1, DestinationPort = 2, SequenceNumber = (uint)random.Next(), Flags = TcpFlags.Ack, HasTimestamps = n % 2 == 0 };
            int payloadLength = random.Next(0, 1461);
            var segment = new byte[tcp.Length + payloadLength];
            random.NextBytes(segment);
            tcp.Emit(segment, 0);
            ushort payloadSum = InternetChecksum.Sum(segment, tcp.Length, payloadLength);
            TcpHeader.FillChecksum(A, B, segment, 0, tcp.Length, payloadLength, payloadSum);
            ushort fromSum = TcpHeader.GetChecksum(segment, 0);
            TcpHeader.FillChecksum(A, B, segment, 0, segment.Length);
            Assert.Equal(TcpHeader.GetChecksum(segment, 0), fromSum);
            Assert.True(TcpHeader.VerifyChecksum(A, B, segment, 0, segment.Length));
        }
    }

    [Fact]
    public void Parse_WithWrongChecksumOrAddresses_IsBadChecksum()
    {
        var frame = GoldenFrames.Copy(GoldenFrames.TcpData);
        var tcp = new TcpRepr();
        Assert.Equal(ParseStatus.BadChecksum, tcp.Parse(frame, GoldenFrames.L4, SegmentLength(frame), B, A + 1));
        frame[^1] ^= 0x01;
        Assert.Equal(ParseStatus.BadChecksum, tcp.Parse(frame, GoldenFrames.L4, SegmentLength(frame), B, A));
        Assert.Equal(ParseStatus.Ok, tcp.Parse(frame, GoldenFrames.L4, SegmentLength(frame)));
    }

    [Theory]
    [InlineData(0x40, ParseStatus.BadLength)]
    [InlineData(0x00, ParseStatus.BadLength)]
    [InlineData(0xF0, ParseStatus.Truncated)]
    public void Check_OfBadDataOffset_ReportsWhy(byte dataOffsetByte, ParseStatus expected)
    {
        var frame = GoldenFrames.Copy(GoldenFrames.TcpSyn);
        frame[GoldenFrames.L4 + TcpHeader.DataOffsetOffset] = dataOffsetByte;
        Assert.Equal(expected, TcpHeader.Check(frame, GoldenFrames.L4, SegmentLength(frame)));
    }

    [Fact]
    public void Check_WhenOptionsCutOff_IsTruncated()
    {
        Assert.Equal(ParseStatus.Truncated, TcpHeader.Check(GoldenFrames.TcpSyn, GoldenFrames.L4, 43));
        Assert.Equal(ParseStatus.Truncated, TcpHeader.Check(GoldenFrames.TcpSyn, GoldenFrames.L4, 19));
        Assert.Equal(ParseStatus.Ok, TcpHeader.Check(GoldenFrames.TcpSyn, GoldenFrames.L4, 44));
    }

    [Fact]
    public void ViewSetters_WriteWhereGettersRead()
    {
        var header = new byte[20];
        TcpHeader.SetSourcePort(header, 0, 0x0102);
        TcpHeader.SetDestinationPort(header, 0, 0x0304);
        TcpHeader.SetSequenceNumber(header, 0, 0x05060708);
        TcpHeader.SetAcknowledgmentNumber(header, 0, 0x090A0B0C);
        TcpHeader.SetHeaderLength(header, 0, 20);
        TcpHeader.SetFlags(header, 0, TcpFlags.Fin | TcpFlags.Ack);
        TcpHeader.SetWindow(header, 0, 0x0D0E);
        TcpHeader.SetUrgentPointer(header, 0, 0x1314);
        Assert.Equal(Convert.FromHexString("0102030405060708090A0B0C5011" + "0D0E" + "0000" + "1314"), header);
        Assert.Equal(0x1314, TcpHeader.GetUrgentPointer(header, 0));
        Assert.Equal(20, TcpHeader.GetHeaderLength(header, 0));
    }

    [Theory]
    [InlineData(TcpFlags.Syn | TcpFlags.Ack, "ACK,SYN")]
    [InlineData(0xFF, "CWR,ECE,URG,ACK,PSH,RST,SYN,FIN")]
    [InlineData(0, "")]
    public void FlagsFormat_NamesEachBit(byte flags, string expected)
    {
        Assert.Equal(expected, TcpFlags.Format(flags));
    }
}
