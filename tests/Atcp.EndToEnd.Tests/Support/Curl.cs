using System.Text.Json;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>One transfer as curl reports it with <c>-w '%{json}'</c>.</summary>
public sealed record CurlTransfer(string Url, int HttpCode, long SizeDownload, double SpeedDownload, int NumConnects,
    int LocalPort, double TimeTotal, string ContentType)
{
    /// <summary>Reads one line of curl's %{json} output.</summary>
    public static CurlTransfer Parse(JsonElement json) => new(
        Str(json, "url_effective"), Int(json, "http_code"), (long)Num(json, "size_download"), Num(json, "speed_download"),
        Int(json, "num_connects"), Int(json, "local_port"), Num(json, "time_total"), Str(json, "content_type"));

    static string Str(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    static double Num(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : -1;

    static int Int(JsonElement json, string name) => (int)Num(json, name);
}

/// <summary>curl run in a testbed host, with its per-transfer report.</summary>
public static class Curl
{
    /// <summary>Runs curl args... in host with -sS and a per-transfer JSON report; returns the
    /// command result and one report per URL, in order.</summary>
    public static (CommandResult Result, IReadOnlyList<CurlTransfer> Transfers) Run(Testbed testbed, string host, TimeSpan timeout, params string[] args)
    {
        var result = testbed.Exec(timeout, host, ["curl", "-sS", "--max-time", ((int)timeout.TotalSeconds).ToString(), "-w", "%{json}\\n", .. args]);
        var transfers = result.Stdout.Split('\n')
            .Where(line => line.StartsWith("{\"", StringComparison.Ordinal))
            .Select(line => { using var doc = JsonDocument.Parse(line); return CurlTransfer.Parse(doc.RootElement); })
            .ToList();
        return (result, transfers);
    }

    /// <summary>Downloads url into file in host (curl -o, failing on HTTP errors) and returns the report;
    /// throws with curl's output when curl fails.</summary>
    public static CurlTransfer Download(Testbed testbed, string host, string url, string file, TimeSpan? timeout = null, params string[] extra)
    {
        var (result, transfers) = Run(testbed, host, timeout ?? TimeSpan.FromMinutes(2), ["--fail", .. extra, "-o", file, url]);
        result.EnsureSuccess();
        if (transfers.Count != 1) throw new InvalidOperationException("expected one transfer report:\n" + result.Describe());
        return transfers[0];
    }
}
