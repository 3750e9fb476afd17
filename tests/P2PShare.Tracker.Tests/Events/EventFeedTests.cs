using System.Net;
using System.Text.Json;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Events;

public sealed class EventFeedTests
{
    [Fact]
    public async Task Connect_Always_SendsStatsFirst()
    {
        await using var host = await TrackerHost.StartAsync();
        await host.Client.SeedAsync(host.Token);

        var (feed, hello) = await EventFeed.ConnectAsync(host, host.Token);
        await using var _ = feed;
        var stats = hello.Data.Deserialize(TrackerApiJsonContext.Default.StatsEvent)!;

        Assert.Equal(TrackerHost.Start, hello.Time);
        Assert.Equal(1, stats.Peers);
        Assert.Equal(1, stats.Files);
        Assert.Equal(1, stats.AnnouncesTotal);
    }

    [Fact]
    public async Task PeerAndFileLifecycle_TwoClients_BothReceiveEveryEventInOrder()
    {
        await using var host = await TrackerHost.StartAsync();
        var (first, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var firstFeed = first;
        var (second, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var secondFeed = second;
        var peer = TestPeer.Create();
        var manifest = TestManifests.Random("song.flac");

        var registration = await host.Client.RegisterAsync(peer, host.Token);
        using (await host.Client.AnnounceAsync(peer.PeerId, registration.Token, manifest, host.Token))
        {
        }

        using (await host.Client.UnregisterAsync(peer.PeerId, registration.Token, host.Token))
        {
        }

        foreach (var feed in new[] { first, second })
        {
            var joined = await feed.NextAsync(host.Token);
            var announced = await feed.NextAsync(host.Token);
            var left = await feed.NextAsync(host.Token);
            var removed = await feed.NextAsync(host.Token);

            Assert.Equal(TrackerEventTypes.PeerJoined, joined.Type);
            Assert.Equal(peer.PeerId, joined.Data.Deserialize(TrackerApiJsonContext.Default.PeerInfo)!.PeerId);
            Assert.Equal(TrackerEventTypes.FileAnnounced, announced.Type);
            var announcedData = announced.Data.Deserialize(TrackerApiJsonContext.Default.FileAnnouncedEvent)!;
            Assert.True(announcedData.Created);
            Assert.Equal("song.flac", announcedData.File.Name);
            Assert.Equal(1, announcedData.File.Holders);
            Assert.Equal(TrackerEventTypes.PeerLeft, left.Type);
            Assert.Equal("unregistered", left.Data.Deserialize(TrackerApiJsonContext.Default.PeerLeftEvent)!.Reason);
            Assert.Equal(TrackerEventTypes.FileRemoved, removed.Type);
            Assert.Equal(manifest.Hash, removed.Data.Deserialize(TrackerApiJsonContext.Default.FileRemovedEvent)!.Hash);
        }
    }

    [Fact]
    public async Task StatsInterval_Elapses_SendsAStatsEvent()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { StatsInterval = TimeSpan.FromSeconds(5) });
        var (feed, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var _ = feed;

        host.Time.Advance(TimeSpan.FromSeconds(5));
        var next = await feed.NextAsync(host.Token);

        Assert.Equal(TrackerEventTypes.Stats, next.Type);
        Assert.Equal(5, next.Data.Deserialize(TrackerApiJsonContext.Default.StatsEvent)!.UptimeSeconds);
    }

    [Fact]
    public async Task Stop_WithAConnectedClient_ClosesTheFeedCleanly()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var host = await TrackerHost.StartAsync();
        var (feed, _) = await EventFeed.ConnectAsync(host, timeout.Token);
        await using var _ = feed;
        var buffer = new byte[1024];

        var closing = host.DisposeAsync().AsTask();
        var result = await feed.Socket.ReceiveAsync(buffer, timeout.Token);
        await feed.Socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "ok", timeout.Token);
        await closing.WaitAsync(timeout.Token);

        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, result.CloseStatus);
    }
}
