using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Client;
using P2PShare.Peer.Downloader;
using P2PShare.Peer.Downloader.HolderSources;
using P2PShare.Peer.Storage;
using P2PShare.Peer.Tests.Connection;
using P2PShare.Testing;

namespace P2PShare.Peer.Tests.Downloader;

/// <summary>
/// The downloading side for download tests: a node with real storage and a real connection manager, a tracker URL
/// nothing listens on, holders from a fixed list, and a fake clock for the download's own timing (stall timeout,
/// refresh pace, manifest waits); the links keep the system clock.
/// </summary>
internal sealed class DownloaderRig(ManagerNode node, LogCapture logs)
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RecordingAnnouncer Announcer { get; } = new();

    public ManagerNode Node => node;

    public DownloadContext Context(IHolderSource holders)
    {
        var lists = new HolderLists([holders], Time);
        var deadTracker = new TrackerClient(TrackerClient.CreateHttpClient(new Uri($"http://127.0.0.1:{Loopback.FreeTcpPort()}/"), null));
        return new DownloadContext(
            node.Identity.PeerId,
            deadTracker,
            Announcer,
            lists,
            new ManifestFromHolders(lists, node.Manager, node.Identity.PeerId),
            node.Manager,
            node.Directory,
            node.Storage.Index,
            new DownloadOptions(),
            Time,
            logs.CreateLogger("download"));
    }

    /// <summary>Moves the download clock in half-second steps, letting the download's loops run between them.</summary>
    public async Task AdvanceAsync(TimeSpan total, CancellationToken ct)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += TimeSpan.FromMilliseconds(500))
        {
            Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10, ct);
        }
    }

    /// <summary>Writes the same random bytes into each holder's data directory and shares them there.</summary>
    public static async Task<(FileManifest Manifest, byte[] Content)> ShareAsync(ManagerNode[] holders, string name, int size, CancellationToken ct)
    {
        byte[] content = new byte[size];
        new Random(size).NextBytes(content);
        FileManifest? manifest = null;
        foreach (var holder in holders)
        {
            string path = Path.Combine(holder.Storage.Paths.DataDir, name);
            await File.WriteAllBytesAsync(path, content, ct);
            var indexed = await holder.Storage.Index.GetOrHashAsync(path, ct);
            Assert.Equal(IndexStatus.Indexed, indexed.Status);
            manifest = indexed.Manifest;
        }

        return (manifest!, content);
    }
}

/// <summary>A holder list that names the given nodes as complete holders, or fails as an unreachable tracker would.</summary>
internal sealed class FixedHolders(params ManagerNode[] nodes) : IHolderSource
{
    public volatile bool Failing;

    public HolderOrigin Origin => HolderOrigin.Tracker;

    public Task<IReadOnlyList<HolderCandidate>> FindAsync(string fileId, CancellationToken ct) =>
        Failing
            ? throw new HolderSourceException("tracker unreachable")
            : Task.FromResult<IReadOnlyList<HolderCandidate>>(nodes.Select(n => new HolderCandidate(n.Contact(), true, 0, Origin)).ToList());
}

internal sealed class RecordingAnnouncer : IHolderAnnouncer
{
    public ConcurrentBag<(string FileId, bool Complete, int Chunks)> Announced { get; } = [];

    public Task AnnounceAsync(FileManifest manifest, bool complete, int verifiedChunks, CancellationToken ct)
    {
        Announced.Add((manifest.Hash, complete, verifiedChunks));
        return Task.CompletedTask;
    }

    public Task WithdrawAsync(string fileId, CancellationToken ct) => Task.CompletedTask;
}
