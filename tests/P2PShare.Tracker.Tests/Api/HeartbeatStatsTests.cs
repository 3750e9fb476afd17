using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

/// <summary>The traffic fields of a heartbeat: validation, per-peer and network rates, and the peer.updated event.</summary>
public sealed class HeartbeatStatsTests
{
    [Fact]
    public async Task TwoHeartbeats_TenSecondsApart_GiveTheCountersGrowthPerSecond()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        string other = TestPeer.Create().PeerId;

        await SendAsync(host, registration.Token, Stats(peer.PeerId, 1_000, 500, (other, ConnectionPaths.Relay)));
        host.Time.Advance(TimeSpan.FromSeconds(10));
        await SendAsync(host, registration.Token, Stats(peer.PeerId, 51_000, 2_500, (other, ConnectionPaths.Relay), (TestPeer.Create().PeerId, ConnectionPaths.Direct)));

        var info = Assert.Single((await host.Client.GetFromJsonOrFailAsync("/api/peers", TrackerApiJsonContext.Default.PeerListResponse, host.Token)).Peers);
        Assert.Equal(51_000, info.BytesSent);
        Assert.Equal(2_500, info.BytesReceived);
        Assert.Equal(5_000, info.UploadRate);
        Assert.Equal(200, info.DownloadRate);
        Assert.Equal(new PathCounts { Direct = 1, Relay = 1 }, info.Paths);
        Assert.Equal(2, info.Connections.Count);

        var stats = await host.Client.GetFromJsonOrFailAsync("/api/stats", TrackerApiJsonContext.Default.StatsEvent, host.Token);
        Assert.Equal(5_000, stats.UploadRate);
        Assert.Equal(200, stats.DownloadRate);
    }

    [Fact]
    public async Task CountersThatGoDown_PeerRestarted_GiveRateZeroNotNegative()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);

        await SendAsync(host, registration.Token, Stats(peer.PeerId, 90_000, 90_000));
        host.Time.Advance(TimeSpan.FromSeconds(10));
        await SendAsync(host, registration.Token, Stats(peer.PeerId, 100, 100));

        var info = Assert.Single((await host.Client.GetFromJsonOrFailAsync("/api/peers", TrackerApiJsonContext.Default.PeerListResponse, host.Token)).Peers);
        Assert.Equal(0, info.UploadRate);
        Assert.Equal(0, info.DownloadRate);
        Assert.Equal(100, info.BytesSent);
    }

    [Theory]
    [InlineData(65, "direct", 5, "at most 64")]
    [InlineData(1, "carrier-pigeon", 5, "path must be direct, holepunch or relay")]
    [InlineData(1, "direct", -1, "rtt_ms must be between 0 and")]
    [InlineData(1, "direct", 600_001, "rtt_ms must be between 0 and")]
    public async Task BadConnections_Return400WithTheReason(int count, string path, int rtt, string expected)
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var connections = Enumerable.Range(0, count).Select(_ => new ReportedConnection { PeerId = TestPeer.Create().PeerId, Path = path, RttMs = rtt }).ToList();

        using var response = await host.Client.PostJsonAsync("/api/peers/heartbeat", new HeartbeatRequest { PeerId = peer.PeerId, BytesSent = 1, BytesReceived = 1, Connections = connections }, registration.Token, host.Token);

        Assert.Contains(expected, await response.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token));
    }

    [Fact]
    public async Task NegativeCounterBadConnectionPeerIdOrNullConnection_Return400()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);

        using var negative = await host.Client.PostJsonAsync("/api/peers/heartbeat", new HeartbeatRequest { PeerId = peer.PeerId, BytesSent = -1 }, registration.Token, host.Token);
        using var badId = await host.Client.PostJsonAsync("/api/peers/heartbeat", Stats(peer.PeerId, 1, 1, ("not-a-peer-id", ConnectionPaths.Direct)), registration.Token, host.Token);
        using var nullEntry = await host.Client.PostJsonAsync("/api/peers/heartbeat", new HeartbeatRequest { PeerId = peer.PeerId, Connections = [null!] }, registration.Token, host.Token);

        Assert.Contains("must not be negative", await negative.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token));
        Assert.Contains("connections[0].peer_id must be 40 hex characters", await badId.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token));
        Assert.Contains("connections[0] must be an object", await nullEntry.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token));
    }

    [Fact]
    public async Task HeartbeatWithCounters_PublishesPeerUpdated()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var (feed, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var _feed = feed;

        await SendAsync(host, registration.Token, Stats(peer.PeerId, 42, 7));

        var updated = await feed.NextOfTypeAsync(TrackerEventTypes.PeerUpdated, TrackerApiJsonContext.Default.PeerInfo, host.Token);
        Assert.Equal(peer.PeerId, updated.PeerId);
        Assert.Equal(42, updated.BytesSent);
        Assert.Equal(7, updated.BytesReceived);
    }

    private static HeartbeatRequest Stats(string peerId, long sent, long received, params (string PeerId, string Path)[] connections) => new()
    {
        PeerId = peerId,
        BytesSent = sent,
        BytesReceived = received,
        Connections = [.. connections.Select(c => new ReportedConnection { PeerId = c.PeerId, Path = c.Path, RttMs = 12 })],
    };

    private static async Task SendAsync(TrackerHost host, string token, HeartbeatRequest request)
    {
        using var response = await host.Client.PostJsonAsync("/api/peers/heartbeat", request, token, host.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
