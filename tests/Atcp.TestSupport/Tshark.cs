using System.Diagnostics;
using System.Text.Json;

namespace Atcp.TestSupport;

/// <summary>One frame as tshark decoded it: the requested fields (every occurrence, as tshark
/// prints them with <c>-T json -e</c>) and the expert-info items, checksum errors among them.</summary>
public sealed class TsharkFrame
{
    static readonly IReadOnlyList<string> None = [];

    /// <summary>Expert-info group PI_CHECKSUM (epan/proto.h), as tshark prints <c>_ws.expert.group</c>.</summary>
    public const long ChecksumGroup = 0x01000000;

    internal TsharkFrame(int number, IReadOnlyDictionary<string, IReadOnlyList<string>> fields, IReadOnlyList<TsharkExpertItem> expert)
    {
        Number = number;
        Fields = fields;
        Expert = expert;
    }

    /// <summary>Frame number, 1-based as Wireshark shows it.</summary>
    public int Number { get; }

    /// <summary>Every requested field present in the frame, with all its values in tree order.
    /// Absent fields are absent (tshark omits them).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fields { get; }

    /// <summary>Expert-info items (notes, warnings, errors) tshark attached to the frame.</summary>
    public IReadOnlyList<TsharkExpertItem> Expert { get; }

    /// <summary>Messages of the expert items in the checksum group ("Bad checksum [should be 0x...]").</summary>
    public IReadOnlyList<string> ChecksumErrors => Expert.Where(e => e.Group == ChecksumGroup).Select(e => e.Message).ToList();

    /// <summary>The first value of field, or null when the frame does not have it.</summary>
    public string? this[string field] => Fields.TryGetValue(field, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Every value of field (empty when absent), e.g. each <c>tcp.option_kind</c>.</summary>
    public IReadOnlyList<string> All(string field) => Fields.TryGetValue(field, out var values) ? values : None;

    /// <summary>The frame number and its fields, for assertion messages.</summary>
    public override string ToString() =>
        "frame " + Number + ": " + string.Join("; ", Fields.Select(f => f.Key + "=" + string.Join(",", f.Value)));
}

/// <summary>One expert-info item: message, group (PI_* value) and severity (PI_* value).</summary>
public sealed record TsharkExpertItem(string Message, long Group, long Severity);

/// <summary>Runs tshark on a capture with checksum validation on (IPv4, TCP and UDP; tshark always
/// checks ICMP) and returns the requested fields per frame. Used to cross-check what our code emits
/// against an independent decoder. Preference names are those of tshark 4.0
/// (<c>tshark -G defaultprefs</c>).</summary>
public static class Tshark
{
    /// <summary>Where tshark is looked for.</summary>
    public const string Path = "/usr/bin/tshark";

    /// <summary>Preferences passed on every run: validate IPv4, TCP and UDP checksums (off by default).</summary>
    public static readonly IReadOnlyList<string> ChecksumPreferences =
        ["ip.check_checksum:TRUE", "tcp.check_checksum:TRUE", "udp.check_checksum:TRUE"];

    const string ExpertMessage = "_ws.expert.message";
    const string ExpertGroup = "_ws.expert.group";
    const string ExpertSeverity = "_ws.expert.severity";

    /// <summary>True when tshark is installed.</summary>
    public static bool IsAvailable => File.Exists(Path);

    /// <summary>Decodes the capture at pcapPath and returns, per frame, the given display fields
    /// (e.g. "tcp.seq_raw", "tcp.option_kind"). Throws when tshark fails, for example on a field
    /// name it does not know.</summary>
    public static IReadOnlyList<TsharkFrame> Decode(string pcapPath, params string[] fields) =>
        Decode(pcapPath, fields, []);

    /// <summary>As <see cref="Decode(string, string[])"/> with extra "name:value" preferences
    /// (e.g. "tcp.analyze_sequence_numbers:FALSE").</summary>
    public static IReadOnlyList<TsharkFrame> Decode(string pcapPath, IEnumerable<string> fields, IEnumerable<string> preferences) =>
        Decode(pcapPath, fields, preferences, []);

    /// <summary>As above, with Lua dissectors loaded first (e.g. tools/wireshark/atcp.lua); a Lua
    /// error in a dissector fails the run.</summary>
    public static IReadOnlyList<TsharkFrame> Decode(string pcapPath, IEnumerable<string> fields, IEnumerable<string> preferences,
        IEnumerable<string> luaScripts)
    {
        var args = new List<string> { "-r", pcapPath, "-T", "json", "-n" };
        foreach (var script in luaScripts) { args.Add("-X"); args.Add("lua_script:" + script); }
        foreach (var pref in ChecksumPreferences.Concat(preferences)) { args.Add("-o"); args.Add(pref); }
        var requested = fields.Concat([ExpertMessage, ExpertGroup, ExpertSeverity]).Distinct().ToList();
        foreach (var field in requested) { args.Add("-e"); args.Add(field); }
        return Parse(Run(args));
    }

    /// <summary>Writes frames to a temporary capture (1 ms apart), decodes it, deletes it.</summary>
    public static IReadOnlyList<TsharkFrame> DecodeFrames(IEnumerable<byte[]> frames, params string[] fields)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "atcp-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            PcapWriter.WriteFile(path, frames);
            return Decode(path, fields);
        }
        finally
        {
            File.Delete(path);
        }
    }

    static string Run(IReadOnlyList<string> args)
    {
        if (!IsAvailable) throw new InvalidOperationException("tshark is not installed at " + Path + " (apt-get install tshark)");
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Path);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("tshark did not finish within 60 s: tshark " + string.Join(" ", args));
        }
        if (process.ExitCode != 0 || stderr.Result.Contains("Lua: Error"))
            throw new InvalidOperationException("tshark exited with " + process.ExitCode + ": " + stderr.Result.Trim() + "\ncommand: tshark " + string.Join(" ", args));
        return stdout;
    }

    static IReadOnlyList<TsharkFrame> Parse(string json)
    {
        var frames = new List<TsharkFrame>();
        if (string.IsNullOrWhiteSpace(json)) return frames;
        using var doc = JsonDocument.Parse(json);
        int number = 0;
        foreach (var packet in doc.RootElement.EnumerateArray())
        {
            number++;
            var fields = new Dictionary<string, IReadOnlyList<string>>();
            var layers = packet.GetProperty("_source").GetProperty("layers");
            foreach (var property in layers.EnumerateObject())
            {
                var values = property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Select(v => v.ToString()).ToList()
                    : [property.Value.ToString()];
                fields[property.Name] = values;
            }
            var expert = new List<TsharkExpertItem>();
            if (fields.TryGetValue(ExpertMessage, out var messages))
            {
                fields.TryGetValue(ExpertGroup, out var groups);
                fields.TryGetValue(ExpertSeverity, out var severities);
                for (int i = 0; i < messages.Count; i++)
                    expert.Add(new TsharkExpertItem(messages[i], ParseLong(groups, i), ParseLong(severities, i)));
            }
            fields.Remove(ExpertMessage);
            fields.Remove(ExpertGroup);
            fields.Remove(ExpertSeverity);
            frames.Add(new TsharkFrame(number, fields, expert));
        }
        return frames;
    }

    static long ParseLong(IReadOnlyList<string>? values, int index) =>
        values != null && index < values.Count && long.TryParse(values[index], out var v) ? v : 0;
}
