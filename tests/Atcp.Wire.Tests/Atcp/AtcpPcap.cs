using System.Diagnostics;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>A minimal pcap writer (libpcap classic format, LINKTYPE_ETHERNET) and a tshark runner,
/// private to the ATCP tests (a shared version lives in Atcp.TestSupport on another branch).</summary>
static class AtcpPcap
{
    public static void Write(string path, IEnumerable<byte[]> frames)
    {
        using var file = File.Create(path);
        using var w = new BinaryWriter(file);
        w.Write(0xA1B2C3D4u);   // magic, microsecond timestamps, written little-endian
        w.Write((ushort)2);     // version 2.4
        w.Write((ushort)4);
        w.Write(0);             // GMT offset
        w.Write(0u);            // timestamp accuracy
        w.Write(65535u);        // snap length
        w.Write(1u);            // LINKTYPE_ETHERNET
        uint second = 0;
        foreach (var frame in frames)
        {
            w.Write(second++);
            w.Write(0u);
            w.Write((uint)frame.Length);
            w.Write((uint)frame.Length);
            w.Write(frame);
        }
    }

    /// <summary>Runs tshark with the ATCP dissector over a capture and returns, per frame, the
    /// requested fields by name (repeated occurrences joined by ',').</summary>
    public static List<Dictionary<string, string>> Fields(string pcapPath, string keyHex, params string[] fields)
    {
        var dissector = global::Atcp.TestSupport.RepoPaths.Under("tools", "wireshark", "atcp.lua");
        var args = new List<string> { "-n", "-X", "lua_script:" + dissector, "-o", "atcp.key:" + keyHex, "-r", pcapPath, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=," };
        foreach (var f in fields) { args.Add("-e"); args.Add(f); }
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "tshark did not finish within 60 s");
        Assert.True(process.ExitCode == 0, "tshark failed: " + stderr.Result);
        Assert.DoesNotContain("Lua: Error", stderr.Result);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(values => fields.Select((f, i) => (f, v: i < values.Length ? values[i] : "")).ToDictionary(p => p.f, p => p.v))
            .ToList();
    }
}
