using System.Text.RegularExpressions;
using Atcp.EndToEnd.Tests.Support;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Testbed;

/// <summary>up converges and repeats safely, down removes everything, exec runs in a host.</summary>
[Collection(NetworkOnlyCollection.Name)]
public class LifecycleTests(NetworkOnlyFixture fixture)
{
    readonly Support.Testbed _testbed = fixture.Testbed;

    [Fact]
    public void Up_RunTwiceWithTheSameOptions_ChangesNothing()
    {
        using var _ = fixture.With("--loss", "5", "--board-mbit", "30");
        string before = Snapshot();

        var again = _testbed.Up([.. fixture.UpOptions, "--loss", "5", "--board-mbit", "30"]);

        Assert.True(again.Succeeded, again.Describe());
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Up_WithMoreBoards_AddsThem_AndWithFewer_RemovesThem()
    {
        using (fixture.With("--boards", "4"))
        {
            Assert.Equal(["atcp-b1", "atcp-b2", "atcp-b3", "atcp-b4"], Boards());
            Assert.Equal(BoardMac(4), _testbed.Exec(Board(4), "cat", "/sys/class/net/eth0/address").EnsureSuccess().Stdout.Trim());
        }
        Assert.Equal(["atcp-b1", "atcp-b2"], Boards());
        Assert.DoesNotContain("p-b3", _testbed.Exec(Switch, "ip", "-o", "link").EnsureSuccess().Stdout);
    }

    [Fact]
    public void Down_RemovesEveryTestbedNamespaceAndTheState_AndIsSafeToRepeat()
    {
        try
        {
            var first = _testbed.Down();
            var second = _testbed.Down();

            Assert.True(first.Succeeded, first.Describe());
            Assert.True(second.Succeeded, second.Describe());
            Assert.Empty(Support.Testbed.Namespaces());
            Assert.False(Directory.Exists(Support.Testbed.StateDirectory));
            Assert.Contains("testbed is down", _testbed.Status().EnsureSuccess().Stdout);
        }
        finally
        {
            fixture.Restore();
        }
    }

    [Fact]
    public void Exec_RunsTheCommandInsideTheHost()
    {
        var fe = _testbed.Exec(FrontEnd, "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        var b2 = _testbed.Exec(Board(2), "cat", "/sys/class/net/eth0/address");

        Assert.True(fe.Succeeded, fe.Describe());
        Assert.Contains(FrontEndMgmtIp + "/24", fe.Stdout);
        Assert.DoesNotContain(ServiceIp + "/", fe.Stdout);
        Assert.Equal(BoardMac(2), b2.Stdout.Trim());
    }

    [Fact]
    public void Exec_PassesTheCommandsExitCodeThrough()
    {
        var result = _testbed.Exec(Client, "sh", "-c", "exit 7");
        Assert.Equal(7, result.ExitCode);
    }

    [Fact]
    public void Exec_OnAnUnknownHost_FailsNamingIt()
    {
        var result = _testbed.Exec("nosuchhost", "true");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown host 'nosuchhost'", result.Stderr);
    }

    [Fact]
    public void Up_WithABadOption_FailsWithoutTouchingTheTestbed()
    {
        string before = Snapshot();
        var result = _testbed.Up("--no-services", "--loss", "lots");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--loss must be a percentage", result.Stderr);
        Assert.Equal(before, Snapshot());
    }

    static List<string> Boards() => Support.Testbed.Namespaces().Where(n => n.StartsWith("atcp-b")).ToList();

    // Namespaces, links (index, name, MAC, flags), addresses, qdiscs and the loss rules with their
    // handles (a recreated table gets new handles), counters left out (they may move).
    string Snapshot()
    {
        var parts = new List<string> { string.Join(",", Support.Testbed.Namespaces()) };
        foreach (var ns in Support.Testbed.Namespaces())
        {
            string host = ns["atcp-".Length..];
            parts.Add(host + " links " + _testbed.Exec(host, "ip", "-o", "link").EnsureSuccess().Stdout);
            parts.Add(host + " addrs " + _testbed.Exec(host, "ip", "-o", "addr").EnsureSuccess().Stdout);
            parts.Add(host + " qdiscs " + _testbed.Exec(host, "tc", "qdisc", "show").EnsureSuccess().Stdout);
        }
        var rules = _testbed.Exec(Switch, "nft", "-a", "list", "ruleset").EnsureSuccess().Stdout;
        parts.Add(Regex.Replace(rules, @"packets \d+ bytes \d+", "packets - bytes -"));
        return string.Join("\n", parts);
    }
}
