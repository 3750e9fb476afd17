using System.Net.WebSockets;
using System.Text.Json;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Events;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Events;

public sealed class SlowClientTests
{
    [Fact]
    public async Task Publish_SubscriberThatNeverReads_IsDroppedOnceItsQueueIsFull()
    {
        var hub = NewHub(capacity: 4, out var metrics);
        using var slow = hub.Subscribe(Hello());

        for (int i = 0; i < 10; i++)
        {
            hub.Publish(TrackerEventTypes.PeerLeft, new PeerLeftEvent { PeerId = $"{i}", Reason = "test" }, TrackerApiJsonContext.Default.PeerLeftEvent);
        }

        Assert.True(slow.IsDropped);
        Assert.True(slow.Dropped.IsCancellationRequested);
        Assert.Equal(4, slow.Reader.Count);
        Assert.Contains("tracker_ws_dropped_clients_total 1", await ScrapeAsync(metrics));
    }

    [Fact]
    public void Publish_SubscriberThatKeepsUp_IsNeverDropped()
    {
        var hub = NewHub(capacity: 4, out _);
        using var reader = hub.Subscribe(Hello());

        for (int i = 0; i < 100; i++)
        {
            hub.Publish(TrackerEventTypes.PeerLeft, new PeerLeftEvent { PeerId = $"{i}", Reason = "test" }, TrackerApiJsonContext.Default.PeerLeftEvent);
            while (reader.Reader.TryRead(out _))
            {
            }
        }

        Assert.False(reader.IsDropped);
        Assert.Equal(1, hub.ClientCount);
    }

    [Fact]
    public async Task EventFeed_ClientThatStopsReading_IsDroppedWhileAReadingClientKeepsReceiving()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { EventQueueCapacity = 8 });
        var hub = host.Service<EventHub>();
        var (reader, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var readerFeed = reader;
        var (stalled, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var stalledFeed = stalled;
        var big = new PeerLeftEvent { PeerId = new string('p', 64 * 1024), Reason = "filler" };

        // The stalled client never reads again: its socket buffers fill, then its queue, then it is dropped.
        // The reading client drains each event as it is published, so it never falls behind.
        int published = 0;
        while (hub.ClientCount == 2 && published < 10_000)
        {
            hub.Publish(TrackerEventTypes.PeerLeft, big, TrackerApiJsonContext.Default.PeerLeftEvent);
            published++;
            await DrainAsync(reader, host.Token);
        }

        Assert.Equal(1, hub.ClientCount);
        hub.Publish(TrackerEventTypes.PeerLeft, new PeerLeftEvent { PeerId = "after", Reason = "check" }, TrackerApiJsonContext.Default.PeerLeftEvent);
        var last = await reader.NextAsync(host.Token);
        Assert.Equal("after", last.Data.Deserialize(TrackerApiJsonContext.Default.PeerLeftEvent)!.PeerId);
        await AssertClosedAsync(stalled.Socket, host.Token);
    }

    private static async Task DrainAsync(EventFeed feed, CancellationToken cancellationToken)
    {
        var next = await feed.NextAsync(cancellationToken);
        Assert.Equal(TrackerEventTypes.PeerLeft, next.Type);
    }

    private static async Task AssertClosedAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // Aborted by the server: closed, as expected.
        }
    }

    private static EventHub NewHub(int capacity, out Tracker.Metrics.TrackerMetrics metrics)
    {
        var options = new Tracker.Configuration.TrackerOptions { EventQueueCapacity = capacity };
        var peers = new Tracker.Storage.InMemoryPeerRegistry();
        var files = new Tracker.Storage.InMemoryFileCatalog(options);
        metrics = new Tracker.Metrics.TrackerMetrics(peers, files);
        return new EventHub(options, TimeProvider.System, metrics, Microsoft.Extensions.Logging.Abstractions.NullLogger<EventHub>.Instance);
    }

    private static ReadOnlyMemory<byte> Hello() => "{}"u8.ToArray();

    private static async Task<string> ScrapeAsync(Tracker.Metrics.TrackerMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
