using System.Text.Json;
using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Testbed;

/// <summary>up without --no-services: cards made, front-end and boards started in their namespaces
/// with the agreed flags, the wait for the front-end to see every board, clear failures. The
/// programs are stand-ins (StandIns/*.py, given through ATCP_TESTBED_FRONTEND/VBOARD/SDIMAGE) that
/// speak to each other over the testbed's network as the real ones do.</summary>
[Collection(NetworkOnlyCollection.Name)]
public class ServiceStartTests(NetworkOnlyFixture fixture)
{
    static readonly string StandIns = RepoPaths.Under("tests", "Atcp.EndToEnd.Tests", "StandIns");

    static Support.Testbed WithStandIns(params (string Name, string Value)[] extra)
    {
        var testbed = new Support.Testbed();
        testbed.Environment["ATCP_TESTBED_FRONTEND"] = Support.Testbed.Python + " " + Path.Combine(StandIns, "fake_frontend.py");
        testbed.Environment["ATCP_TESTBED_VBOARD"] = Support.Testbed.Python + " " + Path.Combine(StandIns, "fake_vboard.py");
        testbed.Environment["ATCP_TESTBED_SDIMAGE"] = Support.Testbed.Python + " " + Path.Combine(StandIns, "fake_sdimage.py");
        foreach (var (name, value) in extra) testbed.Environment[name] = value;
        return testbed;
    }

    [Fact]
    public void Up_StartsFrontEndAndBoardsInTheirNamespaces_AndWaitsUntilAllBoardsAreSeen()
    {
        var testbed = WithStandIns();
        try
        {
            var up = testbed.Up([.. fixture.UpOptions, "--services", "--boards", "3", "--timeout", "30"]);
            Assert.True(up.Succeeded, up.Describe());
            Assert.Contains("front-end reports 3 of 3 boards up", up.Stdout);

            // Each program runs in its own namespace.
            foreach (var name in new[] { "fe", "b1", "b2", "b3" })
            {
                int pid = int.Parse(File.ReadAllText(Path.Combine(Support.Testbed.StateDirectory, "pids", name + ".pid")).Trim());
                var identify = Commands.Run("ip", ["netns", "identify", pid.ToString()]).EnsureSuccess();
                Assert.Equal(name + " atcp-" + name, name + " " + identify.Stdout.Trim());
            }

            // The front-end heard every board from its own MAC, and got the agreed flags.
            var status = JsonDocument.Parse(testbed.Exec(Client, "curl", "-fsS", "http://" + FrontEndMgmtIp + ":" + MgmtPort + "/status").EnsureSuccess().Stdout).RootElement;
            Assert.Equal(3, status.GetProperty("engine").GetProperty("boardsUp").GetInt32());
            var macs = status.GetProperty("boards").EnumerateArray().Select(b => b.GetProperty("macAddress").GetString()).ToList();
            Assert.Equal([BoardMac(1), BoardMac(2), BoardMac(3)], macs);
            var argv = string.Join(" ", status.GetProperty("daemon").GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal("--interface eth0 --service-ip 198.18.0.1 --netmask 255.255.255.0 --gateway 198.18.0.254 " +
                "--mgmt-listen 198.18.0.2:9100 --cluster-id 0xA7C90001 --cluster-key-file /run/atcp-testbed/cluster.key", argv);

            // A 16-byte key, a card per board made for that board, a console file per board.
            Assert.Equal(16, new FileInfo(Path.Combine(Support.Testbed.StateDirectory, "cluster.key")).Length);
            for (int i = 1; i <= 3; i++)
            {
                var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(Support.Testbed.StateDirectory, "cards", "b" + i + ".img"))).RootElement;
                Assert.Equal(i.ToString(), card.GetProperty("board_id").GetString());
                Assert.Equal(3, card.GetProperty("boards").GetInt32());
                Assert.Equal(2, card.GetProperty("copies").GetInt32());
                Assert.Contains("index.html", card.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
                Assert.Contains("board " + i + " up", File.ReadAllText(Path.Combine(Support.Testbed.StateDirectory, "b" + i + ".console")));
            }
            Assert.Contains("process b3 pid", testbed.Status().EnsureSuccess().Stdout);
        }
        finally
        {
            fixture.Restore();
        }
    }

    [Fact]
    public void Up_AgainWithTheSameOptions_KeepsTheRunningPrograms_AndNoServicesStopsThem()
    {
        var testbed = WithStandIns();
        try
        {
            testbed.Up([.. fixture.UpOptions, "--services", "--timeout", "30"]).EnsureSuccess();
            var pids = Pids();
            var again = testbed.Up([.. fixture.UpOptions, "--services", "--timeout", "30"]);

            Assert.True(again.Succeeded, again.Describe());
            Assert.Contains("already running", again.Stdout);
            Assert.Equal(pids, Pids());

            fixture.Restore();
            foreach (var pid in pids)
                Assert.False(Directory.Exists("/proc/" + pid), "process " + pid + " still runs after up --no-services");
        }
        finally
        {
            fixture.Restore();
        }
    }

    [Fact]
    public void Up_WhenABoardExitsAtStart_FailsNamingItAndShowingItsLog()
    {
        var testbed = WithStandIns(("ATCP_FAKE_VBOARD_FAIL", "1"));
        try
        {
            var up = testbed.Up([.. fixture.UpOptions, "--services", "--timeout", "30"]);

            Assert.NotEqual(0, up.ExitCode);
            Assert.Contains("exited during start-up", up.Stderr);
            Assert.Contains("disk image unreadable", up.Stderr);
        }
        finally
        {
            fixture.Restore();
        }
    }

    [Fact]
    public void Up_WhenTheFrontEndNeverAnswers_TimesOutWithAClearError()
    {
        var testbed = WithStandIns(("ATCP_FAKE_FRONTEND_SILENT", "1"));
        try
        {
            var up = testbed.Up([.. fixture.UpOptions, "--services", "--timeout", "2"]);

            Assert.NotEqual(0, up.ExitCode);
            Assert.Contains("did not answer within 2s", up.Stderr);
            Assert.Contains("last lines of /run/atcp-testbed/logs/fe.log", up.Stderr);
        }
        finally
        {
            fixture.Restore();
        }
    }

    static List<int> Pids() =>
        Directory.GetFiles(Path.Combine(Support.Testbed.StateDirectory, "pids"), "*.pid").Order(StringComparer.Ordinal)
            .Select(f => int.Parse(File.ReadAllText(f).Trim())).ToList();
}
