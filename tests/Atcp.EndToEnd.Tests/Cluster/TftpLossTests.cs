using Atcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>TFTP under 2% loss on the switch (tools/testbed --loss 2): requests, OACKs, DATA, client
/// ACKs and relayed DATAGRAM_ACKs are all dropped now and then; the boards' timers and the clients'
/// own retransmissions must still deliver exact files, a 50 MB one in reasonable time.</summary>
[Collection(ClusterCollection.Name)]
public class TftpLossTests(ClusterFixture fixture, ITestOutputHelper output)
{
    readonly ClusterContent _content = fixture.Content;

    [Fact]
    public void TwoPercentLoss_FiftyMegabytesWithWindow8_IsExact_WithinAMinute()
    {
        using var _ = fixture.With("--loss", "2");
        var before = fixture.Testbed.SwitchLossCounters();
        var item = _content.TftpLarge;
        string file = fixture.ScratchFile("lossy-tftp.bin");
        try
        {
            // atftp acknowledges a resent window once ("extra ACK") and then waits for its own timer,
            // which restarts on every datagram it gets: when that one ACK is lost too, only a silence
            // longer than its timer (the board backs off to give it one) gets it going again. Its
            // default timer is 5 s; 1 s keeps such stalls short (tools/bench.d/README.md, TFTP).
            var run = TftpClients.Atftp(fixture.Testbed, Client, TftpClients.NameOf(item), file, ["blksize 1428", "windowsize 8"],
                clientTimeoutSeconds: 1, timeout: TimeSpan.FromSeconds(90));
            Assert.True(run.Result.Succeeded, run.Result.Describe());
            ContentAssert.SameBytes(item.Source, file, "atftp under 2% loss");
            output.WriteLine("atftp window 8 under 2% loss: " + item.Length + " bytes in " + run.Elapsed.TotalSeconds.ToString("0.0") + " s");
            Assert.True(run.Elapsed < TimeSpan.FromSeconds(60), "took " + run.Elapsed.TotalSeconds.ToString("0.0") + " s");
        }
        finally
        {
            File.Delete(file);
        }
        var after = fixture.Testbed.SwitchLossCounters();
        output.WriteLine("switch dropped " + (after.Lost - before.Lost) + " of " + (after.Seen - before.Seen) + " frames");
        Assert.True(after.Lost - before.Lost >= 500, "the switch dropped only " + (after.Lost - before.Lost) + " frames");
    }

    [Fact]
    public void TwoPercentLoss_LockStepClients_AreExact()
    {
        using var _ = fixture.With("--loss", "2");
        var before = fixture.Testbed.SwitchLossCounters();
        var medium = _content.Medium;
        Exact("curl", medium, file => TftpClients.Curl(fixture.Testbed, Client, TftpClients.NameOf(medium), file, 1428, TimeSpan.FromMinutes(2)));
        foreach (var item in new[] { _content.TftpExact512, _content["small/o65536.bin"], _content["cd:docs/manual.txt"] })
            Exact("tftp-hpa", item, file => TftpClients.Hpa(fixture.Testbed, Client, TftpClients.NameOf(item), file, TimeSpan.FromMinutes(2)));
        var after = fixture.Testbed.SwitchLossCounters();
        output.WriteLine("switch dropped " + (after.Lost - before.Lost) + " of " + (after.Seen - before.Seen) + " frames");
        Assert.True(after.Lost - before.Lost >= 50, "the switch dropped only " + (after.Lost - before.Lost) + " frames");
    }

    void Exact(string client, ContentObject item, Func<string, TftpRun> run)
    {
        string file = fixture.ScratchFile(Path.GetFileName(item.Name));
        try
        {
            var result = run(file);
            Assert.True(result.Result.Succeeded, result.Result.Describe());
            ContentAssert.SameBytes(item.Source, file, client + " under 2% loss: " + TftpClients.NameOf(item));
            output.WriteLine(client + " " + TftpClients.NameOf(item) + ": " + item.Length + " bytes in " + result.Elapsed.TotalSeconds.ToString("0.0") + " s under 2% loss");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
