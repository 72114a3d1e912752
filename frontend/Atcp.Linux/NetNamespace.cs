using System.Runtime.ExceptionServices;
using Atcp.Linux.Native;
using Microsoft.Win32.SafeHandles;

namespace Atcp.Linux;

/// <summary>A named network namespace (<c>ip netns add</c>), for tests and lab setups: create and
/// delete it, run commands and code inside it, wire it up with veth pairs. Disposing deletes the
/// namespace (and with it its interfaces). Needs root (CAP_SYS_ADMIN).</summary>
public sealed class NetNamespace : IDisposable
{
    const string NamespaceDirectory = "/run/netns/";
    static int s_counter;
    bool _deleted;

    NetNamespace(string name) => Name = name;

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    /// <summary>Creates a namespace with this name and brings its loopback up.</summary>
    public static NetNamespace Create(string name)
    {
        IpCommand.Run("netns", "add", name);
        var ns = new NetNamespace(name);
        try
        {
            ns.Ip("link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>Creates a namespace named prefix-PID-N, unique on this machine while the process
    /// lives (the PID lets <see cref="DeleteStale"/> find leftovers of dead processes).</summary>
    public static NetNamespace CreateUnique(string prefix = "atcp")
    {
        int n = Interlocked.Increment(ref s_counter);
        return Create(prefix + "-" + Environment.ProcessId + "-" + n);
    }

    /// <summary>Deletes namespaces named prefix-PID-N whose process is gone (left by a killed run).</summary>
    public static int DeleteStale(string prefix = "atcp")
    {
        int deleted = 0;
        foreach (var name in List())
        {
            var parts = name.Split('-');
            if (parts.Length != 3 || parts[0] != prefix || !int.TryParse(parts[1], out int pid)) continue;
            if (pid == Environment.ProcessId || Directory.Exists("/proc/" + pid)) continue;
            if (IpCommand.Exec("ip", ["netns", "delete", name]).Succeeded) deleted++;
        }
        return deleted;
    }

    /// <summary>Names of the namespaces <c>ip netns</c> knows.</summary>
    public static IReadOnlyList<string> List() =>
        Directory.Exists(NamespaceDirectory)
            ? Directory.GetFiles(NamespaceDirectory).Select(Path.GetFileName).OfType<string>().ToArray()
            : [];

    /// <summary>True when a namespace of that name exists.</summary>
    public static bool Exists(string name) => File.Exists(NamespaceDirectory + name);

    /// <summary>Runs <c>ip -n NAME args...</c> and returns its output.</summary>
    public string Ip(params string[] args) => IpCommand.Run(["-n", Name, .. args]);

    /// <summary>Runs a program inside the namespace (<c>ip netns exec</c>) and returns what happened.</summary>
    public CommandResult Exec(string program, params string[] args) =>
        IpCommand.Exec("ip", ["netns", "exec", Name, program, .. args]);

    /// <summary>Turns IPv6 off in the namespace (for interfaces made afterwards too), so links
    /// coming up send no router solicitations or MLD reports: a quiet wire for tests.</summary>
    public void DisableIPv6()
    {
        foreach (var key in new[] { "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1" })
            IpCommand.Check("sysctl", ["-qw", key], Exec("sysctl", "-qw", key));
    }

    /// <summary>Brings an interface of this namespace up.</summary>
    public void SetLinkUp(string interfaceName) => Ip("link", "set", interfaceName, "up");

    /// <summary>Waits until an interface is ready to carry frames: up, carrier on (LOWER_UP) and
    /// operationally up. A veth end brought up before its peer has no carrier, and its transmit
    /// queue stays on the "noop" qdisc (which drops frames while reporting success) until the
    /// kernel's link watcher sees the carrier, sets the operational state and attaches the real
    /// qdisc (net/core/link_watch.c, one work item, run asynchronously). Throws TimeoutException
    /// after timeoutMs.</summary>
    public void WaitUntilLinkReady(string interfaceName, int timeoutMs = 5000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string line = "";
        while (clock.ElapsedMilliseconds < timeoutMs)
        {
            line = Ip("-o", "link", "show", "dev", interfaceName);
            if (line.Contains("LOWER_UP", StringComparison.Ordinal) && line.Contains("state UP", StringComparison.Ordinal))
            {
                Thread.Sleep(20); // the qdisc is attached right after the state change, in the same work item
                return;
            }
            Thread.Sleep(10);
        }
        throw new TimeoutException("Interface " + interfaceName + " in namespace " + Name + " was not ready after " +
            timeoutMs + " ms: " + line.Trim());
    }

    /// <summary>Brings an interface of this namespace down.</summary>
    public void SetLinkDown(string interfaceName) => Ip("link", "set", interfaceName, "down");

    /// <summary>Adds an address in CIDR form (e.g. 198.18.0.2/24) to an interface of this namespace.</summary>
    public void AddAddress(string interfaceName, string cidr) => Ip("address", "add", cidr, "dev", interfaceName);

    /// <summary>Sets an interface's MAC address (aa:bb:cc:dd:ee:ff).</summary>
    public void SetMacAddress(string interfaceName, string mac) => Ip("link", "set", interfaceName, "address", mac);

    /// <summary>Sets an interface's MTU.</summary>
    public void SetMtu(string interfaceName, int mtu) => Ip("link", "set", interfaceName, "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Creates a veth pair with end nameA in namespace a and end nameB in namespace b (the
    /// same namespace is allowed), both left down.</summary>
    public static void CreateVethPair(NetNamespace a, string nameA, NetNamespace b, string nameB) =>
        IpCommand.Run("link", "add", nameA, "netns", a.Name, "type", "veth", "peer", "name", nameB, "netns", b.Name);

    /// <summary>Runs func on a new thread that has entered this namespace, and returns its result.
    /// Sockets created there stay in this namespace for their whole life.</summary>
    public T Invoke<T>(Func<T> func) => Invoke(Name, func);

    /// <summary>Runs func on a new thread that has entered the named namespace (setns), and returns
    /// its result. The thread ends afterwards, so no pooled thread is left in the namespace.</summary>
    public static T Invoke<T>(string name, Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(name);
                result = func();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = "netns " + name };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    static void Enter(string name)
    {
        if (name.Contains('/') || name.Length == 0 || !Exists(name))
            throw new PacketSocketException(PacketSocketError.NamespaceUnavailable,
                "No network namespace named '" + name + "' ('ip netns list' lists them).");
        using SafeFileHandle handle = File.OpenHandle(NamespaceDirectory + name, FileMode.Open, FileAccess.Read);
        if (LibC.SetNs((int)handle.DangerousGetHandle(), LinuxConstants.CLONE_NEWNET) != 0)
        {
            int errno = LibC.Errno;
            throw new PacketSocketException(PacketSocketError.NamespaceUnavailable,
                "Entering network namespace '" + name + "' failed: " + LibC.ErrorText(errno) +
                (errno == LinuxConstants.EPERM ? " (needs CAP_SYS_ADMIN)" : ""), errno);
        }
    }

    /// <summary>Deletes the namespace (idempotent).</summary>
    public void Dispose()
    {
        if (_deleted) return;
        _deleted = true;
        IpCommand.Exec("ip", ["netns", "delete", Name]);
    }
}
