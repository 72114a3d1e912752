using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using Atcp.Frontend.Management;

namespace Atcp.Ctl;

/// <summary>Why a request to the daemon failed, in words for the operator.</summary>
public sealed class ManagementException(string message, bool unreachable) : Exception(message)
{
    /// <summary>True when the daemon could not be reached at all (exit code 3), false when it
    /// answered with an error (exit code 2).</summary>
    public bool Unreachable { get; } = unreachable;
}

/// <summary>HTTP client for atcp-frontend's management endpoint. Each call returns the decoded
/// document and the raw JSON (for --json).</summary>
public sealed class ManagementClient(HttpClient http, Uri endpoint)
{
    /// <summary>GET /status.</summary>
    public Task<(StatusResponse Value, string Json)> StatusAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "status", ManagementJson.Default.StatusResponse, ct);

    /// <summary>GET /boards.</summary>
    public Task<(BoardStatus[] Value, string Json)> BoardsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "boards", ManagementJson.Default.BoardStatusArray, ct);

    /// <summary>GET /connections.</summary>
    public Task<(ConnectionStatus[] Value, string Json)> ConnectionsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "connections", ManagementJson.Default.ConnectionStatusArray, ct);

    /// <summary>POST /boards/{id}/drain or /undrain.</summary>
    public Task<(DrainResponse Value, string Json)> DrainAsync(ushort id, bool drain, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "boards/" + id + (drain ? "/drain" : "/undrain"), ManagementJson.Default.DrainResponse, ct);

    async Task<(T, string)> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var uri = new Uri(endpoint, path);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(new HttpRequestMessage(method, uri), ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            string why = e.InnerException is SocketException s ? Reason(s.SocketErrorCode) : e.Message;
            throw new ManagementException("cannot reach atcp-frontend at " + endpoint + ": " + why +
                ". Is the daemon running (systemctl status atcp-frontend)? Is --endpoint its --mgmt-listen address?", unreachable: true);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ManagementException("atcp-frontend at " + endpoint + " did not answer within " +
                http.Timeout.TotalSeconds + " s", unreachable: true);
        }
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string detail = TryError(body) ?? (body.Length > 200 ? body[..200] : body);
                throw new ManagementException("atcp-frontend answered " + (int)response.StatusCode + " " +
                    response.ReasonPhrase + " for " + method + " /" + path + ": " + detail, unreachable: false);
            }
            try
            {
                var value = System.Text.Json.JsonSerializer.Deserialize(body, type)
                    ?? throw new ManagementException("atcp-frontend sent an empty answer for /" + path, unreachable: false);
                return (value, body);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ManagementException("atcp-frontend sent JSON atcpctl does not understand for /" + path +
                    " (version mismatch?): " + e.Message, unreachable: false);
            }
        }
    }

    static string? TryError(string body)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(body, ManagementJson.Default.ErrorResponse)?.Error;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    static string Reason(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens there)",
        SocketError.TimedOut => "connection timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to the address",
        SocketError.HostNotFound or SocketError.NoData => "unknown host name",
        _ => error.ToString(),
    };
}
