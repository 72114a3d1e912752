using Atcp.Frontend.Configuration;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.Daemon;

/// <summary>The real kernel check, inside a namespace: the service IP must not be the kernel's.</summary>
public sealed class KernelAddressTests : IDisposable
{
    readonly VethLink _link = new();
    readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _link.Dispose();
        _dir.Dispose();
    }

    FrontendOptions Options() => new()
    {
        Interface = _link.LeftName,
        ServiceIp = "198.18.0.10",
        ClusterId = "7",
        ClusterKeyFile = _dir.File("k", "000102030405060708090a0b0c0d0e0f"),
        ManagementListen = "127.0.0.1:0",
        NetworkNamespace = _link.Left.Name,
    };

    [Fact]
    public void Validate_ServiceIpAssignedToTheVethByTheKernel_IsRefused()
    {
        _link.Left.AddAddress(_link.LeftName, "198.18.0.10/24");

        var result = FrontendOptionsValidator.Validate(Options(), new SystemKernelAddresses(_link.Left.Name));

        Assert.Contains("service IP 198.18.0.10 is also assigned to veth-a by the kernel: the appliance must own it alone",
            Assert.Single(result.Errors));
    }

    [Fact]
    public void Validate_ServiceIpFreeInTheNamespace_IsAccepted()
    {
        _link.Left.AddAddress(_link.LeftName, "198.18.0.5/24");

        var result = FrontendOptionsValidator.Validate(Options(), new SystemKernelAddresses(_link.Left.Name));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Validate_InterfaceOnlyInTheRootNamespace_IsNotFoundInTheServiceNamespace()
    {
        var o = Options();
        o.Interface = "veth-b"; // lives in the other namespace

        var result = FrontendOptionsValidator.Validate(o, new SystemKernelAddresses(_link.Left.Name));

        Assert.Contains(result.Errors, e => e.StartsWith("--interface veth-b: no such network interface (the kernel has: lo, veth-a)"));
    }
}
