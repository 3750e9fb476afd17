using System.Net;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Storage;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Storage;

public sealed class InMemoryPeerRegistryTests
{
    [Fact]
    public void Register_SameIdDifferentKey_ReturnsKeyConflictAndKeepsTheFirst()
    {
        var registry = new InMemoryPeerRegistry();
        var first = Record("aa", "key-1", "token-1");

        var outcome1 = registry.Register(first);
        var outcome2 = registry.Register(Record("aa", "key-2", "token-2"));

        Assert.Equal(RegisterOutcome.Registered, outcome1);
        Assert.Equal(RegisterOutcome.KeyConflict, outcome2);
        Assert.Same(first, registry.Find("aa"));
    }

    [Fact]
    public void Register_SameIdSameKey_ReplacesTheRecord()
    {
        var registry = new InMemoryPeerRegistry();
        registry.Register(Record("aa", "key", "old"));
        var replacement = Record("aa", "key", "new");

        var outcome = registry.Register(replacement);

        Assert.Equal(RegisterOutcome.Replaced, outcome);
        Assert.Same(replacement, registry.Find("aa"));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void RemoveRecord_AfterReRegistration_LeavesTheNewerRecord()
    {
        var registry = new InMemoryPeerRegistry();
        var old = Record("aa", "key", "old");
        registry.Register(old);
        registry.Register(Record("aa", "key", "new"));

        bool removed = registry.Remove(old);

        Assert.False(removed);
        Assert.Equal("new", registry.Find("aa")!.Token);
    }

    [Fact]
    public async Task RegisterAndRemove_Concurrently_KeepsTheCountExact()
    {
        var registry = new InMemoryPeerRegistry();
        var peers = Enumerable.Range(0, 2000).Select(_ => TestPeer.Create()).ToArray();

        await Parallel.ForEachAsync(peers, TestContext.Current.CancellationToken, (peer, ct) =>
        {
            registry.Register(Record(peer.PeerId, peer.PublicKey, "t1"));
            registry.Register(Record(peer.PeerId, peer.PublicKey, "t2"));
            return ValueTask.CompletedTask;
        });
        await Parallel.ForEachAsync(peers.Take(500), TestContext.Current.CancellationToken, (peer, ct) =>
        {
            registry.Remove(peer.PeerId);
            registry.Remove(peer.PeerId);
            return ValueTask.CompletedTask;
        });

        Assert.Equal(1500, registry.Count);
        Assert.Equal(1500, registry.Snapshot().Count);
    }

    [Fact]
    public void Touch_EarlierTime_NeverMovesLastSeenBackwards()
    {
        var record = Record("aa", "key", "t");
        record.Touch(TrackerHost.Start.AddSeconds(10));

        record.Touch(TrackerHost.Start.AddSeconds(5));

        Assert.Equal(TrackerHost.Start.AddSeconds(10), record.LastSeen);
    }

    private static PeerRecord Record(string id, string key, string token) =>
        new(id, key, token, IPAddress.Loopback, 6881, 0, [], null, null, TrackerHost.Start);
}
