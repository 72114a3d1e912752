using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Atcp.Linux;

namespace Atcp.Frontend.Configuration;

/// <summary>A network interface as the kernel sees it.</summary>
public sealed record KernelInterface(string Name, bool IsUp, IReadOnlyList<IPAddress> Addresses);

/// <summary>The kernel's interfaces and addresses, so validation can tell whether the service IP is
/// also the kernel's (it must not be) and whether the management address exists.</summary>
public interface IKernelAddresses
{
    /// <summary>Interfaces of the network namespace the packet socket will live in.</summary>
    IReadOnlyList<KernelInterface> ServiceNamespace();

    /// <summary>Interfaces of the daemon's own namespace (where management listens).</summary>
    IReadOnlyList<KernelInterface> ManagementNamespace();
}

/// <summary>Reads interfaces with getifaddrs (through .NET's NetworkInterface), entering the
/// service namespace on a separate thread when one is configured.</summary>
public sealed class SystemKernelAddresses(string? serviceNamespace) : IKernelAddresses
{
    /// <inheritdoc />
    public IReadOnlyList<KernelInterface> ServiceNamespace() =>
        serviceNamespace == null ? Read() : NetNamespace.Invoke(serviceNamespace, Read);

    /// <inheritdoc />
    public IReadOnlyList<KernelInterface> ManagementNamespace() => Read();

    static IReadOnlyList<KernelInterface> Read() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Select(n => new KernelInterface(n.Name, n.OperationalStatus != OperationalStatus.Down,
                n.GetIPProperties().UnicastAddresses
                    .Select(a => a.Address)
                    .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
                    .ToArray()))
            .ToArray();
}
