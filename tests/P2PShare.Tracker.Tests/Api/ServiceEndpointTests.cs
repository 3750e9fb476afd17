using System.Net;
using System.Text.Json;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class ServiceEndpointTests
{
    [Fact]
    public async Task Health_AfterActivity_ReportsCountsAndUptime()
    {
        await using var host = await TrackerHost.StartAsync();
        await host.Client.SeedAsync(host.Token);
        host.Time.Advance(TimeSpan.FromSeconds(12));

        var health = await host.Client.GetFromJsonOrFailAsync("/health", TrackerApiJsonContext.Default.HealthResponse, host.Token);

        Assert.Equal(new HealthResponse { Status = "ok", Peers = 1, Files = 1, UptimeSeconds = 12 }, health);
    }

    [Fact]
    public async Task Dashboard_Get_ReturnsAnHtmlPage()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.GetAsync("/dashboard", host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("P2PShare tracker", await response.Content.ReadAsStringAsync(host.Token));
    }

    [Fact]
    public async Task OpenApi_Get_DescribesEveryApiEndpoint()
    {
        await using var host = await TrackerHost.StartAsync();

        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json", host.Token));
        var paths = document.RootElement.GetProperty("paths");

        (string Path, string Method)[] expected =
        [
            ("/health", "get"),
            ("/api/peers/register", "post"),
            ("/api/peers/heartbeat", "post"),
            ("/api/peers/{id}", "delete"),
            ("/api/peers", "get"),
            ("/api/files/announce", "post"),
            ("/api/files/withdraw", "post"),
            ("/api/files", "get"),
            ("/api/files/{hash}", "get"),
            ("/api/files/{hash}/peers", "get"),
        ];
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing");
            Assert.True(item.TryGetProperty(method, out _), $"{method} {path} is missing");
        }

        Assert.True(paths.GetProperty("/api/peers/register").GetProperty("post").TryGetProperty("requestBody", out _));
    }

    [Fact]
    public async Task Metrics_AfterActivity_ExposesPeersFilesAnnouncesAndRequests()
    {
        await using var host = await TrackerHost.StartAsync();
        await host.Client.SeedAsync(host.Token);
        await host.Client.SeedAsync(host.Token);

        string metrics = await host.Client.GetStringAsync("/metrics", host.Token);

        Assert.Contains("tracker_peers_online 2", metrics);
        Assert.Contains("tracker_files 2", metrics);
        Assert.Contains("tracker_announces_total 2", metrics);
        Assert.Contains("tracker_http_requests_total{method=\"POST\",route=\"/api/peers/register\",code=\"200\"} 2", metrics);
        Assert.Contains("tracker_http_requests_total{method=\"POST\",route=\"/api/files/announce\",code=\"201\"} 2", metrics);
    }

    [Fact]
    public async Task UnknownPath_Get_Returns404Problem()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/nothing-here", host.Token);

        string detail = await response.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
        Assert.Contains("/api/nothing-here", detail);
    }

    [Fact]
    public async Task WrongMethod_PutOnHealth_Returns405Problem()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.PutAsync("/health", null, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, host.Token);
    }
}
