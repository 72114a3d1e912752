using System.CommandLine;
using System.Globalization;

namespace Atcp.Ctl;

/// <summary>atcpctl's commands. Exit codes: 0 done, 1 bad usage, 2 the daemon answered with an
/// error (e.g. unknown board), 3 the daemon could not be reached.</summary>
public static class CtlApp
{
    /// <summary>Default endpoint: $ATCP_ENDPOINT, else the daemon's default --mgmt-listen.</summary>
    public const string DefaultEndpoint = "http://127.0.0.1:9100";

    /// <summary>Runs atcpctl with args; handler replaces the HTTP stack (tests).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error,
        HttpMessageHandler? handler = null, string? environmentEndpoint = null, CancellationToken cancellationToken = default)
    {
        var endpoint = new Option<string>("--endpoint", "-e")
        {
            Description = "Management endpoint of atcp-frontend (its --mgmt-listen), e.g. http://198.18.0.2:9100. " +
                "Default $ATCP_ENDPOINT or " + DefaultEndpoint + ".",
            Recursive = true,
            DefaultValueFactory = _ => environmentEndpoint ?? Environment.GetEnvironmentVariable("ATCP_ENDPOINT") ?? DefaultEndpoint,
        };
        var json = new Option<bool>("--json") { Description = "Print the daemon's JSON instead of tables.", Recursive = true };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for the daemon (default 5).",
            Recursive = true,
            DefaultValueFactory = _ => 5,
        };
        var boardId = new Argument<ushort>("board-id") { Description = "The board's id (1..65534)." };

        var root = new RootCommand("atcpctl: inspect and steer the ATCP front-end (atcp-frontend) through its management endpoint.");
        root.Add(endpoint);
        root.Add(json);
        root.Add(timeout);

        var status = new Command("status", "Daemon, interface and engine state with counters.");
        var boards = new Command("boards", "Boards the front-end knows: health, draining, streams.");
        var connections = new Command("connections", "Client connections open now.");
        var drain = new Command("drain", "Send no new work to a board; its streams in progress finish.") { boardId };
        var undrain = new Command("undrain", "Let a drained board get new work again.") { boardId };
        foreach (var c in new[] { status, boards, connections, drain, undrain }) root.Add(c);

        Func<ParseResult, CancellationToken, Task<int>> Run(Func<ManagementClient, ParseResult, bool, CancellationToken, Task<string>> body) =>
            async (parse, ct) =>
            {
                string endpointText = parse.GetValue(endpoint)!;
                if (!Uri.TryCreate(endpointText.EndsWith('/') ? endpointText : endpointText + "/", UriKind.Absolute, out var uri)
                    || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    await error.WriteLineAsync("atcpctl: --endpoint '" + endpointText + "' is not an http:// URL (e.g. http://127.0.0.1:9100)");
                    return 1;
                }
                using var http = handler == null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
                http.Timeout = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(timeout)));
                try
                {
                    string text = await body(new ManagementClient(http, uri), parse, parse.GetValue(json), ct);
                    await output.WriteAsync(text.EndsWith('\n') ? text : text + "\n");
                    return 0;
                }
                catch (ManagementException e)
                {
                    await error.WriteLineAsync("atcpctl: " + e.Message);
                    return e.Unreachable ? 3 : 2;
                }
            };

        status.SetAction(Run(async (client, _, asJson, ct) =>
        {
            var (value, raw) = await client.StatusAsync(ct);
            return asJson ? raw : Format.Status(value);
        }));
        boards.SetAction(Run(async (client, _, asJson, ct) =>
        {
            var (value, raw) = await client.BoardsAsync(ct);
            return asJson ? raw : Format.Boards(value);
        }));
        connections.SetAction(Run(async (client, _, asJson, ct) =>
        {
            var (value, raw) = await client.ConnectionsAsync(ct);
            return asJson ? raw : Format.Connections(value);
        }));
        drain.SetAction(Run(async (client, parse, asJson, ct) =>
        {
            var (value, raw) = await client.DrainAsync(parse.GetValue(boardId), true, ct);
            return asJson ? raw : value.Outcome;
        }));
        undrain.SetAction(Run(async (client, parse, asJson, ct) =>
        {
            var (value, raw) = await client.DrainAsync(parse.GetValue(boardId), false, ct);
            return asJson ? raw : value.Outcome;
        }));

        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    /// <summary>Number formatting shared by the tables.</summary>
    internal static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
