using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using P2PShare.Core.Crypto;
using P2PShare.Core.TrackerApi;
using P2PShare.Dht;
using P2PShare.Peer.Client;
using P2PShare.Peer.Connection;
using P2PShare.Peer.Downloader.HolderSources;

namespace P2PShare.Peer.Tests.Downloader;

/// <summary>
/// The tracker and the DHT as holder sources, merged by peer ID: real UDP DHT nodes on loopback, the tracker's
/// holder list served over real HTTP in the tracker's JSON, and a tracker that is down (nothing listens on its port).
/// </summary>
public sealed class HolderListsTests
{
    private readonly string _fileId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_holder_both_sources_list_appears_once_with_the_trackers_addresses_and_both_origins()
    {
        var ct = TestContext.Current.CancellationToken;
        using var holder = PeerIdentity.Generate();
        await using var dht = await DhtPair.StartAsync(holder, _fileId, ct);
        using var tracker = TrackerServing.Start(_fileId, [TrackerEntry(holder, complete: false)]);
        var client = tracker.Client();
        var lists = new HolderLists([new TrackerHolderSource(client), new DhtHolderSource(() => dht.Searcher, TimeProvider.System)], TimeProvider.System);

        var found = await lists.FindAsync(_fileId, ct);

        var only = Assert.Single(found.Holders);
        Assert.Empty(found.Failures);
        Assert.Equal(holder.PeerId, only.PeerId);
        Assert.Equal(HolderOrigin.Tracker | HolderOrigin.Dht, only.Origin);
        Assert.Equal(["192.168.7.7"], only.Contact.LanAddresses);
        Assert.True(only.Complete); // the DHT lists only whole files
        Assert.Equal(1, lists.Stats.Found);
        Assert.Equal(1, lists.Stats.ThroughDht);
        Assert.Equal(0, lists.Stats.OnlyThroughDht);
    }

    [Fact]
    public async Task With_the_tracker_down_the_dht_holder_is_still_found_and_the_failure_is_named()
    {
        var ct = TestContext.Current.CancellationToken;
        using var holder = PeerIdentity.Generate();
        await using var dht = await DhtPair.StartAsync(holder, _fileId, ct);
        var deadTracker = new TrackerClient(TrackerClient.CreateHttpClient(new Uri($"http://127.0.0.1:{Loopback.FreeTcpPort()}/"), null));
        var lists = new HolderLists([new TrackerHolderSource(deadTracker), new DhtHolderSource(() => dht.Searcher, TimeProvider.System)], TimeProvider.System);

        var found = await lists.FindAsync(_fileId, ct);

        var only = Assert.Single(found.Holders);
        Assert.Equal(holder.PeerId, only.PeerId);
        Assert.Equal(HolderOrigin.Dht, only.Origin);
        Assert.Equal(holder.PublicKey.ToArray(), only.Contact.StaticKey.ToArray());
        Assert.Equal(("127.0.0.1", 6881), (only.Contact.Address, only.Contact.Port));
        Assert.StartsWith("tracker:", Assert.Single(found.Failures));
        Assert.Equal(1, lists.Stats.OnlyThroughDht);
    }

    [Fact]
    public async Task With_the_dht_off_or_without_contacts_the_tracker_holders_are_still_found()
    {
        var ct = TestContext.Current.CancellationToken;
        using var holder = PeerIdentity.Generate();
        using var tracker = TrackerServing.Start(_fileId, [TrackerEntry(holder, complete: true)]);
        var client = tracker.Client();
        await using var lonely = DhtNode.Start(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 0));

        foreach (var dhtSource in new[] { new DhtHolderSource(() => null, TimeProvider.System), new DhtHolderSource(() => lonely, TimeProvider.System) })
        {
            var found = await new HolderLists([new TrackerHolderSource(client), dhtSource], TimeProvider.System).FindAsync(_fileId, ct);

            Assert.Equal(holder.PeerId, Assert.Single(found.Holders).PeerId);
            Assert.StartsWith("DHT:", Assert.Single(found.Failures));
        }
    }

    [Fact]
    public async Task When_both_sources_fail_no_holder_is_made_up_and_both_failures_are_named()
    {
        var ct = TestContext.Current.CancellationToken;
        var deadTracker = new TrackerClient(TrackerClient.CreateHttpClient(new Uri($"http://127.0.0.1:{Loopback.FreeTcpPort()}/"), null));
        var lists = new HolderLists([new TrackerHolderSource(deadTracker), new DhtHolderSource(() => null, TimeProvider.System)], TimeProvider.System);

        var found = await lists.FindAsync(_fileId, ct);

        Assert.Empty(found.Holders);
        Assert.True(found.AllFailed(2));
    }

    [Fact]
    public void Merge_keeps_the_first_entry_per_peer_id_in_order_and_combines_what_the_others_say()
    {
        HolderCandidate Entry(string peerId, string address, bool complete, int chunks, HolderOrigin origin) =>
            new(new PeerContact(peerId, new byte[32], address, 1, [], false), complete, chunks, origin);
        string a = new('a', 40), b = new('b', 40);

        var merged = HolderLists.Merge([
            Entry(a, "10.0.0.1", false, 3, HolderOrigin.Tracker),
            Entry(b, "10.0.0.2", false, 1, HolderOrigin.Tracker),
            Entry(a.ToUpperInvariant(), "10.0.0.9", true, 0, HolderOrigin.Dht),
        ]);

        Assert.Equal([a, b], merged.Select(h => h.PeerId));
        Assert.Equal(("10.0.0.1", true, 3, HolderOrigin.Tracker | HolderOrigin.Dht), (merged[0].Contact.Address, merged[0].Complete, merged[0].VerifiedChunks, merged[0].Origin));
        Assert.Equal(HolderOrigin.Tracker, merged[1].Origin);
    }

    private static FilePeer TrackerEntry(PeerIdentity peer, bool complete) => new()
    {
        PeerId = peer.PeerId,
        PublicKey = Convert.ToHexStringLower(peer.PublicKey.Span),
        Address = "127.0.0.1",
        Port = 6881,
        LanAddresses = ["192.168.7.7"],
        Complete = complete,
        VerifiedChunks = 2,
        LastSeen = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Two DHT nodes on loopback: the holder announces the file, the searcher joined through it.</summary>
    private sealed class DhtPair(DhtNode holder, DhtNode searcher) : IAsyncDisposable
    {
        public DhtNode Searcher => searcher;

        public static async Task<DhtPair> StartAsync(PeerIdentity holderIdentity, string fileId, CancellationToken ct)
        {
            var holder = DhtNode.Start(NodeId.FromHex(holderIdentity.PeerId), new IPEndPoint(IPAddress.Loopback, 0));
            var searcher = DhtNode.Start(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 0));
            await searcher.BootstrapAsync([holder.LocalEndPoint], ct);
            var announced = await holder.AnnounceAsync(NodeId.FromHex(fileId), holderIdentity.PublicKey, 6881, ct);
            Assert.True(announced.StoredAt > 0, "the searcher stores the announcement");
            return new DhtPair(holder, searcher);
        }

        public async ValueTask DisposeAsync()
        {
            await searcher.DisposeAsync();
            await holder.DisposeAsync();
        }
    }

    /// <summary>The tracker's <c>GET /api/files/{hash}/peers</c> answer, served over HTTP on loopback.</summary>
    private sealed class TrackerServing : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        private TrackerServing(string fileId, IReadOnlyList<FilePeer> peers, int port)
        {
            Url = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(new FilePeersResponse { Hash = fileId, Peers = peers }, TrackerApiJsonContext.Default.FilePeersResponse);
            _serving = ServeAsync(fileId, body);
        }

        public Uri Url { get; }

        public static TrackerServing Start(string fileId, IReadOnlyList<FilePeer> peers) => new(fileId, peers, Loopback.FreeTcpPort());

        public TrackerClient Client() => new(TrackerClient.CreateHttpClient(Url, null));

        private async Task ServeAsync(string fileId, byte[] body)
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                bool known = context.Request.Url?.AbsolutePath == $"/api/files/{fileId}/peers";
                context.Response.StatusCode = known ? 200 : 404;
                context.Response.ContentType = "application/json";
                if (known)
                {
                    await context.Response.OutputStream.WriteAsync(body);
                }

                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
