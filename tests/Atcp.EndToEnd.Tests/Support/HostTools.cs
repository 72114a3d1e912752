namespace Atcp.EndToEnd.Tests.Support;

/// <summary>Programs the end-to-end tests drive (wrk, wget, tcpdump, Chromium, ffmpeg, node): found
/// on PATH, else installed from Debian's packages once, so a clean CI machine runs the same tests.</summary>
public static class HostTools
{
    static readonly object Gate = new();
    static bool _updated;

    /// <summary>Makes sure each command exists, installing the Debian package named with it
    /// ("command:package") when it does not; throws, with apt's output, when that fails.</summary>
    public static void Require(params string[] commandPackages)
    {
        lock (Gate)
        {
            var missing = commandPackages
                .Select(cp => cp.Split(':', 2))
                .Where(cp => Find(cp[0]) == null)
                .ToList();
            if (missing.Count == 0) return;
            var packages = missing.Select(cp => cp.Length > 1 ? cp[1] : cp[0]).Distinct().ToList();
            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            // Waits for another apt (a test run elsewhere, unattended upgrades) instead of failing on its lock.
            string[] lockWait = ["-o", "DPkg::Lock::Timeout=300"];
            if (!_updated)
            {
                Commands.Run("apt-get", [.. lockWait, "update", "-qq"], environment, TimeSpan.FromMinutes(5)).EnsureSuccess();
                _updated = true;
            }
            var install = Commands.Run("apt-get", [.. lockWait, "install", "-y", "-qq", "--no-install-recommends", .. packages],
                environment, TimeSpan.FromMinutes(10));
            var still = missing.Where(cp => Find(cp[0]) == null).Select(cp => cp[0]).ToList();
            if (still.Count > 0)
                throw new InvalidOperationException("could not install " + string.Join(", ", still) + ":\n" + install.Describe());
        }
    }

    /// <summary>The full path of a command on PATH (or an absolute path that exists), else null.</summary>
    public static string? Find(string command)
    {
        if (command.Contains('/')) return File.Exists(command) ? command : null;
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin"]))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
