using System.Net;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured;

/// <summary>
/// MAX_FILES_PER_PEER, MAX_FILES and MAX_MANIFEST_BYTES: pushing past each is answered with a clear 4xx and the
/// tracker's retained memory stays within a bound. Run alone, so the heap measured is this test's.
/// </summary>
[Collection(nameof(MemoryMeasured))]
public sealed class CatalogueLimitTests
{
    // 32,768 chunk hashes: 2 MiB counted and about 5 MiB held per manifest.
    private const int BigChunks = 32_768;
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Announce_PastManifestBytes_Returns409AndMemoryStaysBounded()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { MaxManifestBytes = 4 * MiB, MaxBodyBytes = 64 * MiB });
        long before = RetainedBytes();

        // 8 manifests of 2 MiB counted: about 40 MB held if they were all kept; the limit keeps one.
        var refused = await AnnounceManyAsync(host, peers: 8, filesPerPeer: 1, chunks: BigChunks);
        long grown = RetainedBytes() - before;

        Assert.Equal(7, refused.Count);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        Assert.Contains("MAX_MANIFEST_BYTES", refused[0].Detail);
        Assert.True(grown < 20 * MiB, $"retained memory grew by {grown / MiB} MiB");
    }

    [Fact]
    public async Task Announce_OneManifestLargerThanTheWholeLimit_Returns413()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { MaxManifestBytes = 512 * 1024 });

        var refused = await AnnounceManyAsync(host, peers: 1, filesPerPeer: 1, chunks: BigChunks);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, Assert.Single(refused).Status);
    }

    [Fact]
    public async Task Announce_PastMaxFiles_Returns409AndMemoryStaysBounded()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { MaxFiles = 100 });
        long before = RetainedBytes();

        var refused = await AnnounceManyAsync(host, peers: 10, filesPerPeer: 100, chunks: 256);
        long grown = RetainedBytes() - before;

        Assert.Equal(900, refused.Count);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        Assert.Contains("MAX_FILES", refused[0].Detail);
        Assert.True(grown < 30 * MiB, $"retained memory grew by {grown / MiB} MiB");
    }

    [Fact]
    public async Task Announce_PastMaxFilesPerPeer_Returns403ButOtherPeersStillAnnounce()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { MaxFilesPerPeer = 20 });
        long before = RetainedBytes();

        var refused = await AnnounceManyAsync(host, peers: 1, filesPerPeer: 500, chunks: 256);
        long grown = RetainedBytes() - before;
        var other = await AnnounceManyAsync(host, peers: 1, filesPerPeer: 1, chunks: 4);

        Assert.Equal(480, refused.Count);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Forbidden, r.Status));
        Assert.Contains("MAX_FILES_PER_PEER", refused[0].Detail);
        Assert.Empty(other);
        Assert.True(grown < 30 * MiB, $"retained memory grew by {grown / MiB} MiB");
    }

    /// <summary>Registers <paramref name="peers"/> peers, each announcing fresh manifests; returns the refusals.</summary>
    private static async Task<List<(HttpStatusCode Status, string Detail)>> AnnounceManyAsync(TrackerHost host, int peers, int filesPerPeer, int chunks)
    {
        var refused = new List<(HttpStatusCode, string)>();
        for (int p = 0; p < peers; p++)
        {
            var peer = TestPeer.Create();
            var registration = await host.Client.RegisterAsync(peer, host.Token);
            for (int f = 0; f < filesPerPeer; f++)
            {
                using var response = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, TestManifests.Random($"f{p}-{f}.bin", chunks), host.Token);
                if (!response.IsSuccessStatusCode)
                {
                    refused.Add((response.StatusCode, await response.AssertProblemAsync(response.StatusCode, host.Token)));
                }
            }
        }

        return refused;
    }

    private static long RetainedBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
