using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Auth;

public sealed class ApiKeyTests
{
    private const string Key = "s3cret-key";

    public static TheoryData<string, string> ProtectedRequests => new()
    {
        { "GET", "/api/files" },
        { "GET", "/api/peers" },
        { "POST", "/api/peers/register" },
        { "POST", "/api/peers/register/challenge" },
        { "GET", "/api/peers/0000000000000000000000000000000000000000" },
        { "POST", "/api/peers/heartbeat" },
        { "POST", "/api/files/announce" },
        { "DELETE", "/api/peers/0000000000000000000000000000000000000000" },
        { "GET", "/ws" },
        { "GET", "/relay?peer_id=0000000000000000000000000000000000000000" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRequests))]
    public async Task ProtectedPath_NoKey_Returns401(string method, string path)
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key, "second-key"] });

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), host.Token);

        string detail = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, host.Token);
        Assert.Contains("API key is required", detail);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(ProtectedRequests))]
    public async Task ProtectedPath_WrongKey_Returns401(string method, string path)
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key, "second-key"] });
        using var client = host.CreateClient("not-the-key");

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), host.Token);

        string detail = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, host.Token);
        Assert.Contains("not valid", detail);
    }

    [Theory]
    [MemberData(nameof(ProtectedRequests))]
    public async Task ProtectedPath_RightKey_PassesTheKeyCheck(string method, string path)
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key, "second-key"] });
        using var client = host.CreateClient("second-key");

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), host.Token);

        // Past the key check each request meets its own rules (no body: 415; plain GET on /ws: 400; no relay yet: 404).
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.InRange((int)response.StatusCode, 200, 499);
    }

    [Fact]
    public async Task ApiFiles_BearerKey_Returns200()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key] });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/files");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await host.Client.SendAsync(request, host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ApiFiles_KeyInQueryParameter_Returns200()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key] });

        using var response = await host.Client.GetAsync($"/api/files?api_key={Key}", host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenPaths_NoKeyWhileKeysAreRequired_Return200()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key] });

        foreach (string path in new[] { "/health", "/metrics", "/dashboard", "/openapi/v1.json" })
        {
            using var response = await host.Client.GetAsync(path, host.Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task ApiFiles_NoKeysConfigured_IsOpen()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/files", host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EventFeed_RightKey_ConnectsAndWrongKeyIsRefused()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key] });

        var (feed, hello) = await EventFeed.ConnectAsync(host, host.Token, apiKey: Key);
        await using var _ = feed;
        using var refused = new ClientWebSocket();
        refused.Options.SetRequestHeader(TrackerHeaders.ApiKey, "wrong");
        var failure = await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(host.WebSocketUri(), host.Token));

        Assert.Equal(TrackerEventTypes.Stats, hello.Type);
        Assert.Contains("401", failure.Message);
    }

    [Fact]
    public async Task Heartbeat_RightApiKeyButAnotherPeersToken_Returns403()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key] });
        using var client = host.CreateClient(Key);
        var peer = TestPeer.Create();
        await client.RegisterAsync(peer, host.Token);
        var other = await client.RegisterAsync(TestPeer.Create(), host.Token);

        using var response = await client.HeartbeatAsync(peer.PeerId, other.Token, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
    }

    [Fact]
    public async Task Unregister_ApiKeyWithoutThePeersToken_IsRefusedAndKeepsThePeer()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key] });
        using var client = host.CreateClient(Key);
        var victim = TestPeer.Create();
        var registration = await client.RegisterAsync(victim, host.Token);
        var other = await client.RegisterAsync(TestPeer.Create(), host.Token);

        using var noToken = await client.UnregisterAsync(victim.PeerId, null, host.Token);
        using var otherToken = await client.UnregisterAsync(victim.PeerId, other.Token, host.Token);
        using var heartbeat = await client.HeartbeatAsync(victim.PeerId, registration.Token, host.Token);
        using var own = await client.UnregisterAsync(victim.PeerId, registration.Token, host.Token);

        await noToken.AssertProblemAsync(HttpStatusCode.Unauthorized, host.Token);
        await otherToken.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
    }

    [Fact]
    public async Task EventFeed_CrossOriginUpgradeWithTheKeyCookie_IsRefused()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ApiKeys = [Key] });
        using var crossSite = new ClientWebSocket();
        crossSite.Options.SetRequestHeader("Origin", "https://evil.example");
        crossSite.Options.SetRequestHeader("Cookie", $"p2pshare_api_key={Key}");

        var failure = await Assert.ThrowsAsync<WebSocketException>(() => crossSite.ConnectAsync(host.WebSocketUri(), host.Token));
        using var sameSite = new ClientWebSocket();
        sameSite.Options.SetRequestHeader("Origin", $"http://{host.BaseAddress.Authority}");
        sameSite.Options.SetRequestHeader("Cookie", $"p2pshare_api_key={Key}");
        await sameSite.ConnectAsync(host.WebSocketUri(), host.Token);

        Assert.Contains("403", failure.Message);
        Assert.Equal(WebSocketState.Open, sameSite.State);
    }
}
