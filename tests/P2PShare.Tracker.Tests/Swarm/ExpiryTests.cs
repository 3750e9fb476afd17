using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Swarm;

public sealed class ExpiryTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Peer_SilentForThreeIntervals_IsSweptFromEveryFileWithEvents()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { HeartbeatInterval = Interval });
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token, name: "orphan.bin");
        var second = TestManifests.Random("second.bin");
        using var announced = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, second, host.Token);
        var (feed, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var _ = feed;

        host.Time.Advance(Interval * 3);
        var left = await feed.NextOfTypeAsync(TrackerEventTypes.PeerLeft, TrackerApiJsonContext.Default.PeerLeftEvent, host.Token);
        var removed = new[]
        {
            await feed.NextOfTypeAsync(TrackerEventTypes.FileRemoved, TrackerApiJsonContext.Default.FileRemovedEvent, host.Token),
            await feed.NextOfTypeAsync(TrackerEventTypes.FileRemoved, TrackerApiJsonContext.Default.FileRemovedEvent, host.Token),
        };
        var health = await host.Client.GetFromJsonOrFailAsync("/health", TrackerApiJsonContext.Default.HealthResponse, host.Token);

        Assert.Equal(new PeerLeftEvent { PeerId = peer.PeerId, Reason = "expired" }, left);
        Assert.Equal(["orphan.bin", "second.bin"], removed.Select(r => r.Name).Order());
        Assert.Equal(0, health.Peers);
        Assert.Equal(0, health.Files);
    }

    [Fact]
    public async Task Peer_PastItsWindowBeforeTheNextSweep_IsAlreadyAbsentFromAnswers()
    {
        // Sweeps tick at +10 s, +20 s, +30 s, +40 s. The peer is last seen at +5 s, so its window ends at +35 s,
        // between two sweeps: only the reads' own liveness check can hide it then.
        await using var host = await TrackerHost.StartAsync(o => o with { HeartbeatInterval = Interval });
        host.Time.Advance(TimeSpan.FromSeconds(5));
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token);
        host.Time.Advance(TimeSpan.FromSeconds(29));
        var stillThere = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);
        var peers = await host.Client.GetFromJsonOrFailAsync("/api/peers", TrackerApiJsonContext.Default.PeerListResponse, host.Token);
        var files = await host.Client.GetFromJsonOrFailAsync("/api/files", TrackerApiJsonContext.Default.FileListResponse, host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(peer.PeerId, registration.Token, host.Token);

        Assert.Single(stillThere.Peers);
        Assert.Empty(holders.Peers);
        Assert.Empty(peers.Peers);
        Assert.Equal(0, files.Total);
        await heartbeat.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
    }

    [Fact]
    public async Task Peer_HeartbeatingEveryInterval_StaysThroughManySweeps()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { HeartbeatInterval = Interval });
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token);
        var (feed, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var _ = feed;

        for (int i = 0; i < 10; i++)
        {
            host.Time.Advance(Interval);
            using var heartbeat = await host.Client.HeartbeatAsync(peer.PeerId, registration.Token, host.Token);
            Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        }

        // A second peer that never heartbeats expires meanwhile; its peer_left proves sweeps ran.
        var idle = TestPeer.Create();
        await host.Client.RegisterAsync(idle, host.Token);
        for (int i = 0; i < 3; i++)
        {
            host.Time.Advance(Interval);
            using var heartbeat = await host.Client.HeartbeatAsync(peer.PeerId, registration.Token, host.Token);
            Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        }

        var left = await feed.NextOfTypeAsync(TrackerEventTypes.PeerLeft, TrackerApiJsonContext.Default.PeerLeftEvent, host.Token);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        Assert.Equal(idle.PeerId, left.PeerId);
        Assert.Equal(peer.PeerId, Assert.Single(holders.Peers).PeerId);
    }

    [Fact]
    public async Task Peer_ExpiredThenRegisteredAgain_CanAnnounceAgain()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { HeartbeatInterval = Interval });
        var (peer, _, manifest) = await host.Client.SeedAsync(host.Token);
        host.Time.Advance(Interval * 4);

        var again = await host.Client.RegisterAsync(peer, host.Token);
        using var announce = await host.Client.AnnounceAsync(peer.PeerId, again.Token, manifest, host.Token);

        Assert.Equal(HttpStatusCode.Created, announce.StatusCode);
    }
}
