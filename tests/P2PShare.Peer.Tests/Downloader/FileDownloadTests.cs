using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Client;
using P2PShare.Peer.Downloader;
using P2PShare.Peer.Downloader.HolderSources;
using P2PShare.Peer.Storage;
using P2PShare.Peer.Tests.Connection;
using P2PShare.Testing;

namespace P2PShare.Peer.Tests.Downloader;

/// <summary>
/// One <see cref="FileDownload"/> against real holders: nodes with real storage, real links over loopback TCP and the
/// real connection manager. Holders come from a fixed list (the tracker and the DHT are tested as sources elsewhere);
/// the download's own clock is fake, so its stall timeout and refresh pace are driven by the test.
/// </summary>
public sealed class FileDownloadTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private readonly Dictionary<string, int> _relayPorts = [];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingAnnouncer _announcer = new();
    private ManagerNode _downloader = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _downloader = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);

    [Fact]
    public async Task TwoHolders_FileCompletesByteIdentical_FromBoth_AndIsAnnouncedComplete()
    {
        await using var first = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var second = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, content) = await ShareAsync([first, second], "two.bin", (12 * ChunkLayout.DefaultChunkSize) + 999);
        await using var download = await StartAsync(manifest, new FixedHolders(first, second));

        await download.Completion.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(content, await File.ReadAllBytesAsync(download.FinalPath!, Ct));
        Assert.Contains((manifest.Hash, true, manifest.ChunkCount), _announcer.Announced);
        Assert.True(first.Directory.Snapshot().Single().Stats.BytesUp > 0, "the first holder sent nothing");
        Assert.True(second.Directory.Snapshot().Single().Stats.BytesUp > 0, "the second holder sent nothing");
    }

    [Fact]
    public async Task HolderWithoutTheFile_NoProgress_FailsAfterTheStallTimeoutOnItsClock_NotBefore()
    {
        await using var holder = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var empty = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, _) = await ShareAsync([holder], "stall.bin", 3 * ChunkLayout.DefaultChunkSize);
        await using var download = await StartAsync(manifest, new FixedHolders(empty));
        await WaitUntilAsync(() => empty.Directory.Count == 1);

        await AdvanceAsync(TimeSpan.FromSeconds(50));
        Assert.False(download.Completion.IsCompleted);
        await AdvanceAsync(TimeSpan.FromSeconds(15));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => download.Completion.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Contains("no progress on stall.bin for 60 s", failure.Message);
        Assert.Contains("0 of 3 chunks verified", failure.Message);
    }

    [Fact]
    public async Task NoSourceAnswers_ThenOneDoes_DownloadWaitsAndCompletes()
    {
        await using var holder = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, content) = await ShareAsync([holder], "late.bin", (2 * ChunkLayout.DefaultChunkSize) + 1);
        var holders = new FixedHolders(holder) { Failing = true };
        await using var download = await StartAsync(manifest, holders);

        await AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.False(download.Completion.IsCompleted);
        Assert.Equal(0, holder.Directory.Count);
        holders.Failing = false;
        await AdvanceAsync(TimeSpan.FromSeconds(2));

        await download.Completion.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(content, await File.ReadAllBytesAsync(download.FinalPath!, Ct));
        Assert.Single(_logs.Lines, l => l.Contains("cannot list holders", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync() => await _downloader.DisposeAsync();

    private static async Task<(FileManifest Manifest, byte[] Content)> ShareAsync(ManagerNode[] holders, string name, int size)
    {
        byte[] content = new byte[size];
        new Random(size).NextBytes(content);
        FileManifest? manifest = null;
        foreach (var holder in holders)
        {
            string path = Path.Combine(holder.Storage.Paths.DataDir, name);
            await File.WriteAllBytesAsync(path, content, Ct);
            var indexed = await holder.Storage.Index.GetOrHashAsync(path, Ct);
            Assert.Equal(IndexStatus.Indexed, indexed.Status);
            manifest = indexed.Manifest;
        }

        return (manifest!, content);
    }

    private async Task<FileDownload> StartAsync(FileManifest manifest, IHolderSource holders)
    {
        var storage = _downloader.Storage;
        var opened = await DownloadTarget.OpenAsync(storage.Paths, storage.Downloads, manifest, null, null, Ct);
        Assert.Equal(DownloadOpenStatus.Ready, opened.Status);
        var lists = new HolderLists([holders], _time);
        var deadTracker = new TrackerClient(TrackerClient.CreateHttpClient(new Uri($"http://127.0.0.1:{Loopback.FreeTcpPort()}/"), null));
        var context = new DownloadContext(
            _downloader.Identity.PeerId,
            deadTracker,
            _announcer,
            lists,
            new ManifestFromHolders(lists, _downloader.Manager, _downloader.Identity.PeerId),
            _downloader.Manager,
            _downloader.Directory,
            storage.Index,
            new DownloadOptions(),
            _time,
            _logs.CreateLogger("download"));
        var download = new FileDownload(opened.Target!, context);
        download.Start();
        return download;
    }

    /// <summary>Moves the download's clock in half-second steps, letting its loop run between them.</summary>
    private async Task AdvanceAsync(TimeSpan total)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += TimeSpan.FromMilliseconds(500))
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10, Ct);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }

    /// <summary>A holder list that names the given nodes, or fails as an unreachable tracker would.</summary>
    private sealed class FixedHolders(params ManagerNode[] nodes) : IHolderSource
    {
        public volatile bool Failing;

        public HolderOrigin Origin => HolderOrigin.Tracker;

        public Task<IReadOnlyList<HolderCandidate>> FindAsync(string fileId, CancellationToken ct) =>
            Failing
                ? throw new HolderSourceException("tracker unreachable")
                : Task.FromResult<IReadOnlyList<HolderCandidate>>(nodes.Select(n => new HolderCandidate(n.Contact(), true, 0, Origin)).ToList());
    }

    private sealed class RecordingAnnouncer : IHolderAnnouncer
    {
        public ConcurrentBag<(string FileId, bool Complete, int Chunks)> Announced { get; } = [];

        public Task AnnounceAsync(FileManifest manifest, bool complete, int verifiedChunks, CancellationToken ct)
        {
            Announced.Add((manifest.Hash, complete, verifiedChunks));
            return Task.CompletedTask;
        }

        public Task WithdrawAsync(string fileId, CancellationToken ct) => Task.CompletedTask;
    }
}
