using System.Diagnostics;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>What one TFTP client run did: its command result and how long it took.</summary>
public sealed record TftpRun(CommandResult Result, TimeSpan Elapsed)
{
    /// <summary>stdout and stderr together (the clients print errors on either).</summary>
    public string Output => Result.Stdout + Result.Stderr;
}

/// <summary>The real TFTP clients the end-to-end tests drive in a testbed host: curl (tftp:// URLs,
/// --tftp-blksize; no windowsize), tftp-hpa's tftp (RFC 1350 only: no options, 512-byte blocks,
/// exits 0 even on an ERROR, which it prints), and atftp (blksize, windowsize and timeout options,
/// RFC 7440; exits non-zero on an ERROR).</summary>
public static class TftpClients
{
    /// <summary>The Debian packages that provide the three clients.</summary>
    public static readonly string[] Packages = ["curl:curl", "tftp:tftp-hpa", "atftp:atftp"];

    /// <summary>The name a TFTP client asks for: the object's URL path without its leading '/'
    /// ("cd/VOLUME/path" for a CD file, the front-end's TftpCatalog convention).</summary>
    public static string NameOf(ContentObject item) => item.Url[(ClusterContent.Host.Length + 1)..];

    /// <summary>curl tftp://service/name -o file; blockSize adds --tftp-blksize.</summary>
    public static TftpRun Curl(Testbed testbed, string host, string name, string file, int? blockSize = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        string[] args = ["curl", "-sS", "--max-time", ((int)limit.TotalSeconds).ToString(), "-o", file];
        if (blockSize is int b) args = [.. args, "--tftp-blksize", b.ToString()];
        return Timed(() => testbed.Exec(limit + TimeSpan.FromSeconds(10), host, [.. args, "tftp://" + TestbedHosts.ServiceIp + "/" + name]));
    }

    /// <summary>tftp-hpa: tftp -m binary service -c get name file (octet mode; its default is netascii).</summary>
    public static TftpRun Hpa(Testbed testbed, string host, string name, string file, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        return Timed(() => testbed.Exec(limit, host, "timeout", ((int)limit.TotalSeconds).ToString(),
            "tftp", "-m", "binary", TestbedHosts.ServiceIp, "-c", "get", name, file));
    }

    /// <summary>atftp -g with the given options ("blksize 1428", "windowsize 8"); clientTimeoutSeconds
    /// sets atftp's own retransmit timer (--tftp-timeout, default 5 s).</summary>
    public static TftpRun Atftp(Testbed testbed, string host, string name, string file, IEnumerable<string> options,
        int? clientTimeoutSeconds = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        var args = new List<string> { "timeout", ((int)limit.TotalSeconds).ToString(), "atftp" };
        if (clientTimeoutSeconds is int t) args.AddRange(["--tftp-timeout", t.ToString()]);
        foreach (var option in options) args.AddRange(["--option", option]);
        args.AddRange(["-g", "-r", name, "-l", file, TestbedHosts.ServiceIp]);
        return Timed(() => testbed.Exec(limit + TimeSpan.FromSeconds(10), host, [.. args]));
    }

    static TftpRun Timed(Func<CommandResult> run)
    {
        var clock = Stopwatch.StartNew();
        var result = run();
        return new TftpRun(result, clock.Elapsed);
    }
}
