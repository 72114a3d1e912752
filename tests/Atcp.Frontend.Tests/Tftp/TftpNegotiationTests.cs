using Atcp.Frontend.Tftp;

namespace Atcp.Frontend.Tests.Tftp;

public class TftpNegotiation_Options
{
    const int Limit = 1468;

    static TftpNegotiationResult Negotiate(long size = 10_000, int multiple = 0, int maxWindow = 64, params (string, string)[] options) =>
        TftpNegotiation.Negotiate(options.Select(o => new TftpOption(o.Item1, o.Item2)).ToList(), size, Limit, multiple, maxWindow);

    [Fact]
    public void NoOptions_GiveTheRfc1350Defaults_AndNoOptionAck()
    {
        var a = Negotiate().Agreement!;
        Assert.Equal((512, 1, (int?)null), (a.BlockSize, a.WindowSize, a.TimeoutSeconds));
        Assert.Empty(a.Accepted);
    }

    [Fact]
    public void EveryKnownOption_IsAnsweredInRequestOrder()
    {
        var a = Negotiate(123_456, options: [("windowsize", "8"), ("TSIZE", "0"), ("BlkSize", "1024"), ("timeout", "3")]).Agreement!;
        Assert.Equal(new[] { new TftpOption("windowsize", "8"), new TftpOption("tsize", "123456"), new TftpOption("blksize", "1024"),
            new TftpOption("timeout", "3") }, a.Accepted);
        Assert.Equal((1024, 8, (int?)3), (a.BlockSize, a.WindowSize, a.TimeoutSeconds));
    }

    [Theory]
    [InlineData("1468", 1468)]
    [InlineData("1469", 1468)]
    [InlineData("65464", 1468)]
    [InlineData("65465", 1468)]                       // beyond RFC 2348's range: still answered with the limit
    [InlineData("99999999999999999999999999", 1468)] // huge: no overflow
    [InlineData("8", 8)]
    [InlineData("00512", 512)]
    public void BlockSize_IsCappedByThePathLimit(string requested, int chosen)
    {
        var a = Negotiate(options: ("blksize", requested)).Agreement!;
        Assert.Equal(chosen, a.BlockSize);
        Assert.Equal(chosen.ToString(), a.Accepted.Single().Value);
    }

    [Theory]
    [InlineData(1468, 1460)] // 5 x 292
    [InlineData(1432, 1168)]
    [InlineData(512, 292)]
    [InlineData(291, 291)]   // less than one chunk: kept
    public void BlockSize_IsRoundedDownToTheChunkGrid(int requested, int chosen)
    {
        Assert.Equal(chosen, Negotiate(multiple: 292, options: ("blksize", requested.ToString())).Agreement!.BlockSize);
    }

    [Fact]
    public void BlockSizeLimit_FollowsThePathMtu()
    {
        Assert.Equal(1468, TftpNegotiation.BlockSizeLimit(1500));
        Assert.Equal(544, TftpNegotiation.BlockSizeLimit(576));
    }

    [Theory]
    [InlineData("blksize", "7")]
    [InlineData("blksize", "0")]
    [InlineData("blksize", "")]
    [InlineData("blksize", "-512")]
    [InlineData("blksize", "+512")]
    [InlineData("blksize", " 512")]
    [InlineData("blksize", "0x200")]
    [InlineData("tsize", "abc")]
    [InlineData("timeout", "1.5")]
    [InlineData("windowsize", "four")]
    public void BadValue_IsAnOptionError(string name, string value)
    {
        var r = Negotiate(options: (name, value));
        Assert.False(r.IsOk);
        Assert.Contains(name, r.Error);
    }

    [Fact]
    public void KnownOptionTwice_IsAnOptionError()
    {
        var r = Negotiate(options: [("blksize", "512"), ("BLKSIZE", "1024")]);
        Assert.False(r.IsOk);
        Assert.Contains("twice", r.Error);
    }

    [Fact]
    public void UnknownOptions_AreIgnored_EvenTwice()
    {
        var a = Negotiate(options: [("x-foo", "1"), ("x-foo", "2"), ("multicast", ""), ("tsize", "0")]).Agreement!;
        Assert.Equal(new[] { "tsize" }, a.Accepted.Select(o => o.Name));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("256")]
    [InlineData("99999999999")]
    public void TimeoutOutOfRange_IsLeftOut(string value)
    {
        var a = Negotiate(options: ("timeout", value)).Agreement!;
        Assert.Empty(a.Accepted);
        Assert.Null(a.TimeoutSeconds);
    }

    [Theory]
    [InlineData("16", 16)]
    [InlineData("64", 64)]
    [InlineData("65", 64)]
    [InlineData("65535", 64)]
    public void WindowSize_IsClampedToTheBoardLimit(string requested, int chosen)
    {
        var a = Negotiate(options: ("windowsize", requested)).Agreement!;
        Assert.Equal(chosen, a.WindowSize);
        Assert.Equal(chosen.ToString(), a.Accepted.Single().Value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    public void WindowSizeOutOfRange_IsLeftOut(string value)
    {
        var a = Negotiate(options: ("windowsize", value)).Agreement!;
        Assert.Empty(a.Accepted);
        Assert.Equal(1, a.WindowSize);
    }
}
