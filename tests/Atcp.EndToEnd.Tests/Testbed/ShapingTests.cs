using System.Globalization;
using Atcp.EndToEnd.Tests.Support;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Testbed;

/// <summary>--board-mbit and --frontend-mbit: token buckets that hold transfers to the set rate.</summary>
[Collection(NetworkOnlyCollection.Name)]
public class ShapingTests(NetworkOnlyFixture fixture)
{
    const double Rate = 20;
    const double Tolerance = 0.25;
    readonly Support.Testbed _testbed = fixture.Testbed;

    [Fact]
    public void FrontendMbit_LimitsTcpIntoFrontEnd()
    {
        using var _ = fixture.With("--frontend-mbit", "20");
        double mbit = TcpTransfer(from: Client, to: FrontEnd, toIp: FrontEndMgmtIp);
        AssertNear(Rate, mbit, "client -> front-end TCP");
    }

    [Fact]
    public void FrontendMbit_LimitsTcpOutOfFrontEnd()
    {
        using var _ = fixture.With("--frontend-mbit", "20");
        double mbit = TcpTransfer(from: FrontEnd, to: Client, toIp: ClientIp);
        AssertNear(Rate, mbit, "front-end -> client TCP");
    }

    [Fact]
    public void BoardMbit_LimitsRawFramesSentByBoard()
    {
        using var _ = fixture.With("--board-mbit", "20");
        using var receiver = _testbed.StartProbe(Client, "rate", "--src", BoardMac(1), "--timeout", "10", "--idle", "0.5");
        _testbed.Probe(Board(1), "flood", "--dst", ClientMac, "--seconds", "2");
        var result = receiver.Result(TimeSpan.FromSeconds(15));
        AssertNear(Rate, result.GetProperty("mbit").GetDouble(), "b1 raw frames at the client (" + result + ")");
    }

    [Fact]
    public void Status_ShowsTheBucketsOnBoardsAndBothEndsOfTheFrontEndLink()
    {
        using var _ = fixture.With("--board-mbit", "30", "--frontend-mbit", "40");
        var status = _testbed.Status().EnsureSuccess().Stdout;
        Assert.Equal(2, Count(status, "tbf rate 30Mbit"));  // b1 and b2 eth0
        Assert.Equal(2, Count(status, "tbf rate 40Mbit"));  // fe eth0 and the switch's p-fe
        Assert.Contains("board-mbit=30 frontend-mbit=40", status);
    }

    double TcpTransfer(string from, string to, string toIp)
    {
        const string port = "5001";
        using var sink = _testbed.StartProbe(to, "sink", "--listen", toIp + ":" + port, "--timeout", "10");
        _testbed.Probe(from, "source", "--connect", toIp + ":" + port, "--seconds", "2");
        var result = sink.Result(TimeSpan.FromSeconds(15));
        Assert.True(result.GetProperty("bytes").GetInt64() > 0, result.ToString());
        return result.GetProperty("mbit").GetDouble();
    }

    // TCP goodput leaves out 66 bytes of headers per 1514-byte frame (4.4%), well inside the band.
    static void AssertNear(double expected, double measured, string what) =>
        Assert.True(Math.Abs(measured - expected) <= expected * Tolerance,
            string.Format(CultureInfo.InvariantCulture, "{0}: measured {1:F2} Mbit/s, set {2} Mbit/s +/- {3:P0}", what, measured, expected, Tolerance));

    static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
