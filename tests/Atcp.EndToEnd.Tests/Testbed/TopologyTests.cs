using System.Text.RegularExpressions;
using Atcp.EndToEnd.Tests.Support;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Testbed;

/// <summary>The network tools/testbed builds: who reaches whom, with which addresses and MACs,
/// and what the front-end's kernel must not do.</summary>
[Collection(NetworkOnlyCollection.Name)]
public class TopologyTests(NetworkOnlyFixture fixture)
{
    readonly Support.Testbed _testbed = fixture.Testbed;

    [Fact]
    public void Client_PingsRouter_OnTheServiceNetwork()
    {
        var ping = _testbed.Exec(Client, "ping", "-c", "3", "-i", "0.2", "-W", "1", RouterIp);
        Assert.True(ping.Succeeded, ping.Describe());
        Assert.Contains("3 received", ping.Stdout);
    }

    [Fact]
    public void Client2_PingsClient_ThroughTheRouter()
    {
        var ping = _testbed.Exec(Client2, "ping", "-c", "3", "-i", "0.2", "-W", "1", ClientIp);
        Assert.True(ping.Succeeded, ping.Describe());
        Assert.Contains("3 received", ping.Stdout);
        // One hop: the client's initial TTL of 64 less the router's decrement.
        Assert.Matches(new Regex("ttl=63 "), ping.Stdout);
    }

    [Fact]
    public void EveryInterface_HasItsDeterministicMac()
    {
        var expected = new (string Host, string Device, string Mac)[]
        {
            (Client, "eth0", ClientMac), (FrontEnd, "eth0", FrontEndMac), (Router, "eth0", RouterMac),
            (Router, "eth1", RouterFarMac), (Client2, "eth0", Client2Mac),
            (Board(1), "eth0", BoardMac(1)), (Board(2), "eth0", BoardMac(2)),
            (Switch, "p-client", PortMac(ClientMac)), (Switch, "p-fe", PortMac(FrontEndMac)),
            (Switch, "p-rt", PortMac(RouterMac)), (Switch, "p-b1", PortMac(BoardMac(1))), (Switch, "p-b2", PortMac(BoardMac(2))),
        };
        foreach (var (host, device, mac) in expected)
        {
            var read = _testbed.Exec(host, "cat", "/sys/class/net/" + device + "/address").EnsureSuccess();
            Assert.Equal(host + " " + device + " " + mac, host + " " + device + " " + read.Stdout.Trim());
        }
    }

    [Fact]
    public void Boards_HaveNoAddress_AndNoHostHasIpv6()
    {
        foreach (var board in new[] { Board(1), Board(2) })
        {
            var addresses = _testbed.Exec(board, "ip", "-o", "addr", "show", "dev", "eth0").EnsureSuccess();
            Assert.True(addresses.Stdout.Trim().Length == 0, board + " eth0 has addresses:\n" + addresses.Stdout);
        }
        foreach (var host in new[] { Switch, Client, Client2, FrontEnd, Router, Board(1), Board(2) })
        {
            var v6 = _testbed.Exec(host, "ip", "-6", "-o", "addr").EnsureSuccess();
            Assert.True(v6.Stdout.Trim().Length == 0, host + " has IPv6 addresses:\n" + v6.Stdout);
            var sysctl = _testbed.Exec(host, "sysctl", "-n", "net.ipv6.conf.all.disable_ipv6").EnsureSuccess();
            Assert.Equal(host + " 1", host + " " + sysctl.Stdout.Trim());
        }
    }

    [Fact]
    public void FrontEndKernel_AnswersArpForManagementAddress_ButNotForServiceAddress()
    {
        var management = _testbed.Probe(Client, "arp", "--target", FrontEndMgmtIp, "--sender-ip", ClientIp);
        var service = _testbed.Probe(Client, "arp", "--target", ServiceIp, "--sender-ip", ClientIp);

        var replies = management.GetProperty("replies");
        Assert.Equal(1, replies.GetArrayLength());
        Assert.Equal(FrontEndMac, replies[0].GetProperty("mac").GetString());
        Assert.Equal(0, service.GetProperty("replies").GetArrayLength());
    }

    [Fact]
    public void FrontEndKernel_DropsTcpToServiceAddress_WithoutReset()
    {
        // Point the client at the front-end's MAC for the service address, as the daemon's ARP
        // reply would: the kernel there does not own the address, so a SYN gets no RST (curl
        // times out, exit 28) rather than "connection refused" (exit 7).
        _testbed.Exec(Client, "ip", "neigh", "replace", ServiceIp, "lladdr", FrontEndMac, "dev", "eth0", "nud", "permanent").EnsureSuccess();
        try
        {
            var curl = _testbed.Exec(Client, "curl", "-sS", "--connect-timeout", "1", "http://" + ServiceIp + "/");
            Assert.True(curl.ExitCode == 28, "expected a connect timeout (28):\n" + curl.Describe());
        }
        finally
        {
            _testbed.Exec(Client, "ip", "neigh", "del", ServiceIp, "dev", "eth0");
        }
    }

    [Fact]
    public void Bridge_ForwardsAtOnce_WithoutStpOrSnooping()
    {
        var details = _testbed.Exec(Switch, "ip", "-d", "link", "show", "br0").EnsureSuccess().Stdout;
        Assert.Contains("stp_state 0", details);
        Assert.Contains("forward_delay 0", details);
        Assert.Contains("mcast_snooping 0", details);
    }
}
