using System.Net;
using System.Text.Json;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.Management;

/// <summary>The management HTTP API around a fake engine (no packet socket, no root).</summary>
public sealed class ManagementEndpointTests : IAsyncLifetime
{
    readonly FakeManagement _engine = new();
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    ManagementServer _server = null!;

    public async Task InitializeAsync() => _server = await ManagementServer.StartAsync(_engine);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    async Task<(HttpStatusCode Status, JsonElement Json)> Get(string path)
    {
        using var response = await _http.GetAsync(new Uri(_server.BaseUri, path));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    async Task<(HttpStatusCode Status, JsonElement Json)> Post(string path)
    {
        using var response = await _http.PostAsync(new Uri(_server.BaseUri, path), null);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Status_GivesDaemonDeviceAndEngineSections()
    {
        var (status, json) = await Get("status");

        Assert.Equal(HttpStatusCode.OK, status);
        var daemon = json.GetProperty("daemon");
        Assert.Equal("198.18.0.10", daemon.GetProperty("serviceIp").GetString());
        Assert.Equal("0xA7C90001", daemon.GetProperty("clusterId").GetString());
        Assert.True(daemon.GetProperty("engineRunning").GetBoolean());
        Assert.Equal(0, json.GetProperty("device").GetProperty("framesReceived").GetInt64());
        var engine = json.GetProperty("engine");
        Assert.Equal("running", engine.GetProperty("state").GetString());
        Assert.Equal(1234, engine.GetProperty("counters").GetProperty("commands_sent").GetInt64());
    }

    [Fact]
    public async Task Boards_ListsTheEnginesBoards()
    {
        var (status, json) = await Get("boards");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, json.GetArrayLength());
        Assert.Equal(7, json[0].GetProperty("id").GetInt32());
        Assert.Equal("02:a7:c9:00:00:07", json[0].GetProperty("macAddress").GetString());
        Assert.True(json[1].GetProperty("draining").GetBoolean());
    }

    [Fact]
    public async Task Connections_ListsTheEnginesConnections()
    {
        var (status, json) = await Get("connections");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("198.18.0.50:49152", Assert.Single(json.EnumerateArray()).GetProperty("client").GetString());
    }

    [Fact]
    public async Task Drain_KnownBoard_CallsTheEngineAndSaysWhatHappened()
    {
        var (status, json) = await Post("boards/7/drain");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["drain 7"], _engine.Calls);
        Assert.True(json.GetProperty("draining").GetBoolean());
        Assert.Contains("no new work goes to board 7", json.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Undrain_ThenAgain_SaysItWasNotDraining()
    {
        await Post("boards/12/undrain");
        var (status, json) = await Post("boards/12/undrain");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["undrain 12", "undrain 12"], _engine.Calls);
        Assert.Equal("board 12 was not draining", json.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Drain_UnknownBoard_Is404WithAReason()
    {
        var (status, json) = await Post("boards/99/drain");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("no board 99 is known to the front-end", json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("0")]
    [InlineData("65535")]
    [InlineData("70000")]
    public async Task Drain_BadId_Is400(string id)
    {
        var (status, json) = await Post("boards/" + id + "/drain");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not a board id", json.GetProperty("error").GetString());
        Assert.Empty(_engine.Calls);
    }

    [Fact]
    public async Task Metrics_ExportDeviceLoopAndEngineValues_InPrometheusText()
    {
        using var response = await _http.GetAsync(new Uri(_server.BaseUri, "metrics"));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("# TYPE atcp_frames_received_total counter", text);
        Assert.Contains("atcp_engine_up 1", text);
        Assert.Contains("atcp_boards_up 1", text);
        Assert.Contains("atcp_engine_commands_sent_total 1234", text);
        Assert.Contains("atcp_engine_arp_entries 3", text);
    }

    [Fact]
    public async Task Metrics_EngineCountersRise_BetweenScrapes()
    {
        await _http.GetStringAsync(new Uri(_server.BaseUri, "metrics"));
        _engine.Status = _engine.Status with { Counters = new Dictionary<string, long> { ["commands_sent"] = 2000, ["acks_relayed"] = 56 } };

        string text = await _http.GetStringAsync(new Uri(_server.BaseUri, "metrics"));

        Assert.Contains("atcp_engine_commands_sent_total 2000", text);
    }

    [Fact]
    public async Task Root_ListsTheEndpoints()
    {
        var (_, json) = await Get("");

        Assert.Contains("/metrics", json.EnumerateArray().Select(e => e.GetString()));
    }
}

/// <summary>Management when the engine does not answer: 503 with the reason, status still served.</summary>
public sealed class ManagementStuckEngineTests
{
    [Fact]
    public async Task StuckEngine_Boards503_StatusSaysEngineNotAnswering()
    {
        await using var server = await ManagementServer.StartAsync(new FakeManagement(), pump: false);
        using var http = new HttpClient();

        var boards = await http.GetAsync(new Uri(server.BaseUri, "boards"));
        var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseUri, "status"))).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, boards.StatusCode);
        Assert.Contains("did not answer within 2 s", await boards.Content.ReadAsStringAsync());
        Assert.False(status.GetProperty("daemon").GetProperty("engineRunning").GetBoolean());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("engine").ValueKind);
    }

    [Fact]
    public async Task StoppedEngine_Drain503_SaysTheLoopIsNotRunning()
    {
        await using var server = await ManagementServer.StartAsync(new FakeManagement());
        server.Runtime.Dispatcher = null;
        using var http = new HttpClient();

        var response = await http.PostAsync(new Uri(server.BaseUri, "boards/7/drain"), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("the engine loop is not running", await response.Content.ReadAsStringAsync());
    }
}
