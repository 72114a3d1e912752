using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Atcp.Linux;

namespace Atcp.Linux.Tests.Support;

/// <summary>Linux capability numbers (linux/capability.h).</summary>
public static class Capabilities
{
    public const int NetRaw = 13;
}

/// <summary>Runs code on a thread that has entered a namespace and dropped a capability from its
/// effective set. Capabilities are per thread in Linux, so the rest of the test process keeps them;
/// the thread ends afterwards.</summary>
public static unsafe partial class NetNamespaceThread
{
    [StructLayout(LayoutKind.Sequential)]
    struct CapHeader { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    struct CapData { public uint Effective; public uint Permitted; public uint Inheritable; }

    const uint LinuxCapabilityVersion3 = 0x20080522;

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static partial int CapGet(CapHeader* header, CapData* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static partial int CapSet(CapHeader* header, CapData* data);

    public static T WithoutCapability<T>(string namespaceName, int capability, Func<T> func) =>
        NetNamespace.Invoke(namespaceName, () =>
        {
            var header = new CapHeader { Version = LinuxCapabilityVersion3, Pid = 0 };
            var data = stackalloc CapData[2];
            if (CapGet(&header, data) != 0) throw new InvalidOperationException("capget failed: " + Marshal.GetLastPInvokeError());
            data[capability / 32].Effective &= ~(1u << (capability % 32));
            if (CapSet(&header, data) != 0) throw new InvalidOperationException("capset failed: " + Marshal.GetLastPInvokeError());
            return func();
        });
}
