using System.Text.RegularExpressions;
using Atcp.EndToEnd.Tests.Support;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Testbed;

/// <summary>--loss PCT: the switch drops that share of the frames it forwards, and counts them.</summary>
[Collection(NetworkOnlyCollection.Name)]
public class LossTests(NetworkOnlyFixture fixture)
{
    readonly Support.Testbed _testbed = fixture.Testbed;

    [Fact]
    public void Loss_DropsAboutThatShareOfFrames_AndTheCounterMatchesTheLostPings()
    {
        using var _ = fixture.With("--loss", "10");
        var before = Counters();

        const int pings = 200;
        var ping = _testbed.Exec(Client, "ping", "-q", "-c", pings.ToString(), "-i", "0.005", "-W", "1", RouterIp);
        var m = Regex.Match(ping.Stdout, @"(\d+) packets transmitted, (\d+) received");
        Assert.True(m.Success, ping.Describe());
        int sent = int.Parse(m.Groups[1].Value), received = int.Parse(m.Groups[2].Value);
        int lostPings = sent - received;
        var after = Counters();
        long dropped = after.Lost - before.Lost;

        // A ping is lost when its request or its reply is dropped: 1 - 0.9^2 = 19% of them
        // (38 of 200, standard deviation 5.5); the band is about 4 deviations wide each way.
        Assert.Equal(pings, sent);
        Assert.True(lostPings is >= 16 and <= 62, $"{lostPings} of {sent} pings lost, expected 16..62");
        // Each lost ping is exactly one dropped frame (a dropped request has no reply to drop);
        // an ARP exchange may add a few.
        Assert.True(dropped >= lostPings && dropped <= lostPings + 4,
            $"the switch dropped {dropped} frames for {lostPings} lost pings (expected {lostPings}..{lostPings + 4})");
        Assert.True(after.Seen - before.Seen >= sent + received, "forwarded-frame counter too low: " + (after.Seen - before.Seen));
    }

    [Fact]
    public void NoLoss_RemovesTheRule_AndStatusSaysOff()
    {
        using (fixture.With("--loss", "2.5"))
        {
            Assert.Contains("loss: 2.5% dropped", _testbed.Status().EnsureSuccess().Stdout);
            var rules = _testbed.Exec(Switch, "nft", "list", "table", "bridge", "atcp_testbed").EnsureSuccess().Stdout;
            Assert.Contains("numgen random mod 1000 < 25", rules);
        }
        Assert.Contains("loss: off", _testbed.Status().EnsureSuccess().Stdout);
        Assert.False(_testbed.Exec(Switch, "nft", "list", "table", "bridge", "atcp_testbed").Succeeded);
    }

    (long Lost, long Seen) Counters()
    {
        var status = _testbed.Status().EnsureSuccess();
        var m = Regex.Match(status.Stdout, @"loss: [0-9.]+% dropped (\d+) of (\d+) frames");
        Assert.True(m.Success, status.Describe());
        return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value));
    }
}
