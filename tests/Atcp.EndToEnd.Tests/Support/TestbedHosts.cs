namespace Atcp.EndToEnd.Tests.Support;

/// <summary>The testbed's fixed plan (tools/testbed.d/common.sh): host names, addresses, MACs.</summary>
public static class TestbedHosts
{
    /// <summary>The switch namespace's host name.</summary>
    public const string Switch = "sw";
    /// <summary>The client on the service network.</summary>
    public const string Client = "client";
    /// <summary>The client behind the router.</summary>
    public const string Client2 = "client2";
    /// <summary>The front-end appliance.</summary>
    public const string FrontEnd = "fe";
    /// <summary>The router between the two networks.</summary>
    public const string Router = "rt";

    /// <summary>The service address, owned by the front-end daemon alone (never the kernel).</summary>
    public const string ServiceIp = "198.18.0.1";
    /// <summary>The front-end's management address, on its kernel stack.</summary>
    public const string FrontEndMgmtIp = "198.18.0.2";
    /// <summary>The client's address.</summary>
    public const string ClientIp = "198.18.0.100";
    /// <summary>The router on the service network.</summary>
    public const string RouterIp = "198.18.0.254";
    /// <summary>The router on the far network.</summary>
    public const string RouterFarIp = "198.19.0.254";
    /// <summary>The second client's address, behind the router.</summary>
    public const string Client2Ip = "198.19.0.100";
    /// <summary>The front-end's management endpoint port.</summary>
    public const int MgmtPort = 9100;

    /// <summary>client eth0.</summary>
    public const string ClientMac = "02:a7:c9:00:00:64";
    /// <summary>fe eth0.</summary>
    public const string FrontEndMac = "02:a7:c9:00:00:02";
    /// <summary>rt eth0 (service network).</summary>
    public const string RouterMac = "02:a7:c9:00:00:fe";
    /// <summary>rt eth1 (far network).</summary>
    public const string RouterFarMac = "02:a7:c9:00:01:fe";
    /// <summary>client2 eth0.</summary>
    public const string Client2Mac = "02:a7:c9:00:01:64";

    /// <summary>Board i's eth0 (1-based): 02:a7:c9:00:0b:ii.</summary>
    public static string BoardMac(int board) => "02:a7:c9:00:0b:" + board.ToString("x2");

    /// <summary>The MAC board i's firmware sends from (its W5500's address, not the veth's):
    /// 02:a7:c9:0b:hi:lo, the firmware's default for board id i.</summary>
    public static string BoardFirmwareMac(int board) => "02:a7:c9:0b:" + (board >> 8).ToString("x2") + ":" + (board & 0xff).ToString("x2");

    /// <summary>Board i's host name (b1, b2, ...).</summary>
    public static string Board(int board) => "b" + board;

    /// <summary>The switch port facing a host: the host's MAC with the fourth byte ff.</summary>
    public static string PortMac(string hostMac) => hostMac[..9] + "ff" + hostMac[11..];

    /// <summary>True for the namespaces tools/testbed owns (atcp-sw, atcp-b3, ...), not other
    /// tests' atcp-* namespaces.</summary>
    public static bool IsTestbedNamespace(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^atcp-(sw|client|client2|fe|rt|b[0-9]+)$");
}
