using P2PShare.Core.Chunking;
using P2PShare.Peer.Downloader;
using P2PShare.Peer.Storage;
using P2PShare.Peer.Tests.Connection;
using P2PShare.Testing;

namespace P2PShare.Peer.Tests.Downloader;

/// <summary>
/// <see cref="DownloadManager"/> with the tracker down: manifests come from holders, an ID nobody holds fails once the
/// manifest wait is over on the manager's fake clock, and a download started again on the link that outlived the first run completes.
/// </summary>
public sealed class DownloadManagerTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private readonly Dictionary<string, int> _relayPorts = [];
    private DownloaderRig _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _rig = new DownloaderRig(await ManagerNode.CreateAsync(_logs, _relayPorts, Ct), _logs);

    [Fact]
    public async Task Start_TrackerDown_ManifestComesFromAHolder_AndTheFileCompletes()
    {
        await using var holder = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, content) = await DownloaderRig.ShareAsync([holder], "from-holder.bin", (5 * ChunkLayout.DefaultChunkSize) + 3, Ct);
        await using var manager = NewManager(new FixedHolders(holder));

        var started = await manager.StartAsync(manifest.Hash, null, Ct);

        Assert.Equal("from-holder.bin", started.Name);
        var done = await EventuallyAsync(manager, manifest.Hash, DownloadState.Completed);
        Assert.Equal(content, await File.ReadAllBytesAsync(done.Path!, Ct));
    }

    [Fact]
    public async Task Start_NobodyKnowsTheId_FailsOnlyAfterTheManifestWait_NamingBothReasons()
    {
        await using var empty = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var manager = NewManager(new FixedHolders(empty));
        string unknown = new('a', 64);

        var starting = manager.StartAsync(unknown, null, Ct);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.False(starting.IsCompleted);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(8), Ct);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => starting.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Contains("tracker", failure.Message);
        Assert.Single(_logs.Lines, l => l.Contains("asking again every second", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartedAgain_OnTheLinkThatOutlivedTheFirstRun_CompletesFromTheKeptBitfield()
    {
        await using var holder = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, content) = await DownloaderRig.ShareAsync([holder], "paused.bin", 3 * ChunkLayout.DefaultChunkSize, Ct);
        await using var manager = NewManager(new FixedHolders(holder));
        await manager.StartAsync(manifest.Hash, null, Ct);
        await EventuallyAsync(manager, manifest.Hash, DownloadState.Completed);

        // Start again from nothing on the same link: the holder answered this file's Bitfield once already.
        var record = await manager.PauseAsync(manifest.Hash, Ct);
        File.Delete(record!.Path!);
        Assert.Single(_rig.Node.Directory.Snapshot());
        var restarted = await manager.StartAsync(manifest.Hash, null, Ct);

        var done = await EventuallyAsync(manager, manifest.Hash, DownloadState.Completed);
        Assert.Equal(content, await File.ReadAllBytesAsync(done.Path!, Ct));
        Assert.Single(_rig.Node.Directory.Snapshot());
    }

    public async ValueTask DisposeAsync() => await _rig.Node.DisposeAsync();

    private DownloadManager NewManager(FixedHolders holders) =>
        new(_rig.Node.Storage.Paths, _rig.Node.Storage.Downloads, _rig.Context(holders));

    private static async Task<DownloadSnapshot> EventuallyAsync(DownloadManager manager, string fileId, DownloadState state)
    {
        for (int i = 0; i < 3000; i++)
        {
            if (manager.Find(fileId) is { } download && (download.State == state || download.State == DownloadState.Failed))
            {
                Assert.True(download.State == state, download.Error);
                return download;
            }

            await Task.Delay(10, Ct);
        }

        throw new TimeoutException($"{fileId} never reached {state}: {manager.Find(fileId)}");
    }
}
