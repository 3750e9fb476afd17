using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class UnregisterTests
{
    [Fact]
    public async Task Unregister_OwnToken_Returns204AndRemovesThePeerFromEveryFile()
    {
        await using var host = await TrackerHost.StartAsync();
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token);
        var other = TestPeer.Create();
        var otherRegistration = await host.Client.RegisterAsync(other, host.Token);
        using var shared = await host.Client.AnnounceAsync(other.PeerId, otherRegistration.Token, manifest, host.Token);

        using var response = await host.Client.UnregisterAsync(peer.PeerId, registration.Token, host.Token);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(peer.PeerId, registration.Token, host.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(other.PeerId, Assert.Single(holders.Peers).PeerId);
        await heartbeat.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
    }

    [Fact]
    public async Task Unregister_LastHolder_RemovesTheFile()
    {
        await using var host = await TrackerHost.StartAsync();
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token);

        using var response = await host.Client.UnregisterAsync(peer.PeerId, registration.Token, host.Token);
        using var file = await host.Client.GetAsync($"/api/files/{manifest.Hash}", host.Token);
        var list = await host.Client.GetFromJsonOrFailAsync("/api/files", TrackerApiJsonContext.Default.FileListResponse, host.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await file.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
        Assert.Empty(list.Files);
    }

    [Fact]
    public async Task Unregister_AnotherPeersToken_Returns403AndKeepsThePeer()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var other = await host.Client.RegisterAsync(TestPeer.Create(), host.Token);

        using var response = await host.Client.UnregisterAsync(peer.PeerId, other.Token, host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(peer.PeerId, registration.Token, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
    }

    [Fact]
    public async Task Unregister_MissingToken_Returns401()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        await host.Client.RegisterAsync(peer, host.Token);

        using var response = await host.Client.UnregisterAsync(peer.PeerId, null, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, host.Token);
    }

    [Fact]
    public async Task Unregister_UnknownPeer_Returns404()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.UnregisterAsync(TestPeer.Create().PeerId, "token", host.Token);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
    }
}
