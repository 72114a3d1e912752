using System.Net;
using Atcp.Frontend.Configuration;

namespace Atcp.Linux.Tests.Daemon;

/// <summary>A kernel with eth0 (192.0.2.5) and lo, or whatever a test gives it.</summary>
public sealed class FakeKernel(params KernelInterface[] interfaces) : IKernelAddresses
{
    public static FakeKernel Default => new(
        new KernelInterface("lo", true, [IPAddress.Loopback]),
        new KernelInterface("eth0", true, [IPAddress.Parse("198.18.1.5")]));

    public IReadOnlyList<KernelInterface> ServiceNamespace() => interfaces;
    public IReadOnlyList<KernelInterface> ManagementNamespace() => interfaces;
}
