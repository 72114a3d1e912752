using System.Net;
using Atcp.Frontend.Configuration;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.Daemon;

/// <summary>Validation of the daemon's settings: what is accepted, and the message for each mistake.</summary>
public sealed class ConfigurationValidationTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly string _key;

    public ConfigurationValidationTests() => _key = _dir.File("cluster.key", "000102030405060708090a0b0c0d0e0f\n");

    public void Dispose() => _dir.Dispose();

    FrontendOptions Valid() => new()
    {
        Interface = "eth0",
        ServiceIp = "198.18.1.10",
        Netmask = "255.255.255.0",
        Gateway = "198.18.1.1",
        ClusterId = "0xA7C90001",
        ClusterKeyFile = _key,
        ManagementListen = "198.18.1.5:9100",
    };

    [Fact]
    public void Validate_GoodOptions_GiveTypedSettings()
    {
        var result = FrontendOptionsValidator.Validate(Valid(), FakeKernel.Default);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var s = result.Settings!;
        Assert.Equal(IPAddress.Parse("198.18.1.10"), s.ServiceIp);
        Assert.Equal(24, s.PrefixLength);
        Assert.Equal(IPAddress.Parse("255.255.255.0"), s.Netmask);
        Assert.Equal(0xA7C90001u, s.ClusterId);
        Assert.Equal("0xA7C90001", s.ClusterIdText);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), s.ClusterKey);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.18.1.5"), 9100), s.ManagementListen);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("255.255.255.0", 24)]
    [InlineData("/24", 24)]
    [InlineData("24", 24)]
    [InlineData("255.255.254.0", 23)]
    [InlineData("255.255.255.255", 32)]
    public void Validate_NetmaskForms_GiveThePrefix(string netmask, int prefix)
    {
        var o = Valid();
        o.Netmask = netmask;
        o.Gateway = null;

        Assert.Equal(prefix, FrontendOptionsValidator.Validate(o, FakeKernel.Default).Settings!.PrefixLength);
    }

    [Theory]
    [InlineData("2848522241", 0xA9C90001u)]
    [InlineData("0x1", 1u)]
    [InlineData("0XFFFFFFFF", 0xFFFFFFFFu)]
    public void Validate_ClusterIdDecimalOrHex_IsRead(string text, uint id)
    {
        var o = Valid();
        o.ClusterId = text;

        Assert.Equal(id, FrontendOptionsValidator.Validate(o, FakeKernel.Default).Settings!.ClusterId);
    }

    public static TheoryData<string, Action<FrontendOptions>, string> Mistakes => new()
    {
        { "no interface", o => o.Interface = null, "--interface is required" },
        { "unknown interface", o => o.Interface = "eth9", "--interface eth9: no such network interface (the kernel has: eth0, lo)" },
        { "no service ip", o => o.ServiceIp = "", "--service-ip is required" },
        { "bad service ip", o => o.ServiceIp = "198.18.1.300", "--service-ip '198.18.1.300' is not an IPv4 address" },
        { "ipv6 service ip", o => o.ServiceIp = "2001:db8::1", "is not an IPv4 address" },
        { "multicast", o => o.ServiceIp = "224.0.0.1", "is not a unicast host address" },
        { "broadcast", o => o.ServiceIp = "198.18.1.255", "is the network or broadcast address of /24" },
        { "port", o => o.ServicePort = 70000, "--service-port 70000 is not a TCP port" },
        { "gateway off-net", o => o.Gateway = "198.18.2.1", "--gateway 198.18.2.1 is not on the service network 198.18.1.0/24" },
        { "netmask", o => o.Netmask = "255.0.255.0", "--netmask '255.0.255.0' is not a netmask" },
        { "cluster id", o => o.ClusterId = "0", "--cluster-id '0' must be a non-zero 32-bit number" },
        { "cluster id text", o => o.ClusterId = "cluster", "--cluster-id 'cluster' must be" },
        { "no cluster id", o => o.ClusterId = null, "--cluster-id is required" },
        { "key missing", o => o.ClusterKeyFile = "/nonexistent/dir/k", "cluster key file /nonexistent/dir/k does not exist" },
        { "mgmt syntax", o => o.ManagementListen = "9100", "--mgmt-listen '9100' must be address:port" },
        { "mgmt not local", o => o.ManagementListen = "198.18.7.7:9100", "no kernel interface has the address 198.18.7.7" },
        { "mgmt on service ip", o => o.ManagementListen = "198.18.1.10:9100", "uses the service IP: management runs on the kernel stack" },
        { "ack every", o => o.AckEvery = 0, "--ack-every 0 must be 1..64" },
        { "ack delay", o => o.AckDelayMs = 500, "--ack-delay-ms 500 must be 1..499 (RFC 1122 4.2.3.2" },
        { "ring", o => o.RxRingBytes = 1000, "RxRingBytes 1000 must be 64 KiB..1 GiB" },
        { "rx batching", o => o.RxBatchMicroseconds = 50_000, "--rx-batch-us 50000 must be 0..20000" },
        { "rx batching max", o => o.RxBatchMaxMicroseconds = -1, "--rx-batch-max-us -1 must be 0..100000" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Validate_Mistake_IsReportedWithAClearMessage(string what, Action<FrontendOptions> spoil, string message)
    {
        var o = Valid();
        spoil(o);

        var result = FrontendOptionsValidator.Validate(o, FakeKernel.Default);

        Assert.False(result.IsValid, what);
        Assert.Null(result.Settings);
        Assert.Contains(result.Errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ServiceIpAlsoOnAKernelInterface_SaysTheApplianceMustOwnItAlone()
    {
        var kernel = new FakeKernel(new KernelInterface("eth0", true, [IPAddress.Parse("198.18.1.5"), IPAddress.Parse("198.18.1.10")]));

        var result = FrontendOptionsValidator.Validate(Valid(), kernel);

        Assert.Contains("service IP 198.18.1.10 is also assigned to eth0 by the kernel: the appliance must own it alone", result.Errors[0]);
        Assert.Contains("ip address del 198.18.1.10", result.Errors[0]);
    }

    [Fact]
    public void Validate_SeveralMistakes_AreAllReportedAtOnce()
    {
        var o = Valid();
        o.ServiceIp = "x";
        o.ClusterId = null;
        o.AckEvery = 100;

        Assert.Equal(3, FrontendOptionsValidator.Validate(o, FakeKernel.Default).Errors.Count);
    }

    [Fact]
    public void Validate_WildcardOrLoopbackManagement_NeedsNoKernelAddress()
    {
        foreach (var listen in new[] { "0.0.0.0:9100", "127.0.0.1:9100", "[::1]:9100" })
        {
            var o = Valid();
            o.ManagementListen = listen;
            Assert.True(FrontendOptionsValidator.Validate(o, new FakeKernel(new KernelInterface("eth0", true, []))).IsValid, listen);
        }
    }

    [Fact]
    public void ClusterKey_SixteenRawBytes_AreTheKey()
    {
        var o = Valid();
        o.ClusterKeyFile = Path.Combine(_dir.Path, "raw.key");
        File.WriteAllBytes(o.ClusterKeyFile, Enumerable.Range(100, 16).Select(i => (byte)i).ToArray());
        File.SetUnixFileMode(o.ClusterKeyFile, UnixFileMode.UserRead);

        Assert.Equal(Enumerable.Range(100, 16).Select(i => (byte)i), FrontendOptionsValidator.Validate(o, FakeKernel.Default).Settings!.ClusterKey);
    }

    [Fact]
    public void ClusterKey_HexWithColonsAndSpaces_IsRead()
    {
        var o = Valid();
        o.ClusterKeyFile = _dir.File("colons.key", "00:01:02:03:04:05:06:07\n08 09 0a 0b 0c 0d 0e 0F\n");

        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), FrontendOptionsValidator.Validate(o, FakeKernel.Default).Settings!.ClusterKey);
    }

    [Fact]
    public void ClusterKey_RelativePath_IsReadFromTheSystemdCredentialsDirectory()
    {
        var o = Valid();
        o.ClusterKeyFile = "cluster.key";

        var result = FrontendOptionsValidator.Validate(o, FakeKernel.Default, credentialsDirectory: _dir.Path);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(Path.Combine(_dir.Path, "cluster.key"), result.Settings!.ClusterKeyFile);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), result.Settings.ClusterKey);
    }

    [Fact]
    public void ClusterKey_WrongLength_IsRefused()
    {
        var o = Valid();
        o.ClusterKeyFile = _dir.File("short.key", "0001020304");

        var errors = FrontendOptionsValidator.Validate(o, FakeKernel.Default).Errors;

        Assert.Contains(errors, e => e.Contains("must hold 16 bytes or 32 hex digits (it has 10 bytes)"));
    }

    [Fact]
    public void ClusterKey_ReadableByOthers_GivesAWarningOnly()
    {
        File.SetUnixFileMode(_key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = FrontendOptionsValidator.Validate(Valid(), FakeKernel.Default);

        Assert.True(result.IsValid);
        Assert.Contains("chmod 600", Assert.Single(result.Warnings));
    }
}
