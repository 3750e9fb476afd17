using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task Heartbeat_OwnToken_ReturnsIntervalAndUpdatesLastSeen()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        host.Time.Advance(TimeSpan.FromSeconds(20));

        using var response = await host.Client.HeartbeatAsync(peer.PeerId, registration.Token, host.Token);
        var body = await response.ReadAsync(TrackerApiJsonContext.Default.HeartbeatResponse, host.Token);
        var list = await host.Client.GetFromJsonOrFailAsync("/api/peers", TrackerApiJsonContext.Default.PeerListResponse, host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30, body.HeartbeatIntervalSeconds);
        Assert.Equal(TrackerHost.Start.AddSeconds(20), Assert.Single(list.Peers).LastSeen);
    }

    [Fact]
    public async Task Heartbeat_UnknownPeer_Returns404()
    {
        await using var host = await TrackerHost.StartAsync();
        var stranger = TestPeer.Create();

        using var response = await host.Client.HeartbeatAsync(stranger.PeerId, "whatever", host.Token);

        string detail = await response.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
        Assert.Contains("register again", detail);
    }

    [Fact]
    public async Task Heartbeat_MissingToken_Returns401()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        await host.Client.RegisterAsync(peer, host.Token);

        using var response = await host.Client.HeartbeatAsync(peer.PeerId, null, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, host.Token);
    }

    [Fact]
    public async Task Heartbeat_AnotherPeersToken_Returns403()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var other = TestPeer.Create();
        await host.Client.RegisterAsync(peer, host.Token);
        var otherRegistration = await host.Client.RegisterAsync(other, host.Token);

        using var response = await host.Client.HeartbeatAsync(peer.PeerId, otherRegistration.Token, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
    }
}
