using P2PShare.Tracker.Models;
using P2PShare.Tracker.Storage;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Storage;

public sealed class InMemoryFileCatalogTests
{
    private static readonly FileHolding Complete = new(true, 3, TrackerHost.Start);

    [Fact]
    public void Announce_SameHashDifferentChunks_ReturnsConflict()
    {
        var catalog = new InMemoryFileCatalog(new P2PShare.Tracker.Configuration.TrackerOptions());
        var manifest = TestManifests.Random();
        catalog.Announce(manifest, "p1", Complete, out _);
        var tampered = manifest with { ChunkHashes = [.. manifest.ChunkHashes.Reverse()] };

        var outcome = catalog.Announce(tampered, "p2", Complete, out var entry);

        Assert.Equal(AnnounceOutcome.Conflict, outcome);
        Assert.Same(manifest, entry.Manifest);
        Assert.Equal(0, catalog.CountHeldBy("p2"));
    }

    [Fact]
    public void RemovePeer_LastHolderOfOneOfTwoFiles_ReturnsOnlyThatFile()
    {
        var catalog = new InMemoryFileCatalog(new P2PShare.Tracker.Configuration.TrackerOptions());
        var shared = TestManifests.Random("shared");
        var own = TestManifests.Random("own");
        catalog.Announce(shared, "p1", Complete, out _);
        catalog.Announce(shared, "p2", Complete, out _);
        catalog.Announce(own, "p1", Complete, out _);

        var removed = catalog.RemovePeer("p1");

        Assert.Equal("own", Assert.Single(removed).Manifest.Name);
        Assert.Equal(1, catalog.Count);
        Assert.Equal(["p2"], catalog.Find(shared.Hash)!.Holders.Keys);
        Assert.Empty(catalog.RemovePeer("p1"));
    }

    [Fact]
    public async Task AnnounceAndWithdraw_Concurrently_LeaveIndexAndFilesConsistent()
    {
        var catalog = new InMemoryFileCatalog(new P2PShare.Tracker.Configuration.TrackerOptions());
        var manifests = Enumerable.Range(0, 20).Select(i => TestManifests.Random($"f{i}", chunks: 1)).ToArray();
        var peers = Enumerable.Range(0, 50).Select(i => $"peer{i}").ToArray();

        await Parallel.ForEachAsync(peers, TestContext.Current.CancellationToken, (peer, ct) =>
        {
            foreach (var manifest in manifests)
            {
                catalog.Announce(manifest, peer, Complete, out _);
            }

            foreach (var manifest in manifests.Where((_, i) => i % 2 == 0))
            {
                catalog.Withdraw(manifest.Hash, peer, out _);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(10, catalog.Count);
        Assert.All(peers, p => Assert.Equal(10, catalog.CountHeldBy(p)));
        Assert.All(catalog.Snapshot(), f => Assert.Equal(50, f.Holders.Count));
    }
}
