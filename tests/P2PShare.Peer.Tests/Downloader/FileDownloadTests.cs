using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
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
    private DownloaderRig _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _rig = new DownloaderRig(await ManagerNode.CreateAsync(_logs, _relayPorts, Ct), _logs);

    [Fact]
    public async Task TwoHolders_FileCompletesByteIdentical_FromBoth_AndIsAnnouncedComplete()
    {
        await using var first = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var second = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, content) = await DownloaderRig.ShareAsync([first, second], "two.bin", (12 * ChunkLayout.DefaultChunkSize) + 999, Ct);
        await using var download = await StartAsync(manifest, new FixedHolders(first, second));

        await download.Completion.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(content, await File.ReadAllBytesAsync(download.FinalPath!, Ct));
        Assert.Contains((manifest.Hash, true, manifest.ChunkCount), _rig.Announcer.Announced);
        Assert.True(first.Directory.Snapshot().Single().Stats.BytesUp > 0, "the first holder sent nothing");
        Assert.True(second.Directory.Snapshot().Single().Stats.BytesUp > 0, "the second holder sent nothing");
    }

    [Fact]
    public async Task HolderWithoutTheFile_NoProgress_FailsAfterTheStallTimeoutOnItsClock_NotBefore()
    {
        await using var holder = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var empty = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, _) = await DownloaderRig.ShareAsync([holder], "stall.bin", 3 * ChunkLayout.DefaultChunkSize, Ct);
        await using var download = await StartAsync(manifest, new FixedHolders(empty));
        await WaitUntilAsync(() => empty.Directory.Count == 1);

        await _rig.AdvanceAsync(TimeSpan.FromSeconds(50), Ct);
        Assert.False(download.Completion.IsCompleted);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(15), Ct);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => download.Completion.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Contains("no progress on stall.bin for 60 s", failure.Message);
        Assert.Contains("0 of 3 chunks verified", failure.Message);
    }

    [Fact]
    public async Task NoSourceAnswers_ThenOneDoes_DownloadWaitsAndCompletes()
    {
        await using var holder = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var (manifest, content) = await DownloaderRig.ShareAsync([holder], "late.bin", (2 * ChunkLayout.DefaultChunkSize) + 1, Ct);
        var holders = new FixedHolders(holder) { Failing = true };
        await using var download = await StartAsync(manifest, holders);

        await _rig.AdvanceAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.False(download.Completion.IsCompleted);
        Assert.Equal(0, holder.Directory.Count);
        holders.Failing = false;
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(2), Ct);

        await download.Completion.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(content, await File.ReadAllBytesAsync(download.FinalPath!, Ct));
        Assert.Single(_logs.Lines, l => l.Contains("cannot list holders", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync() => await _rig.Node.DisposeAsync();

    private async Task<FileDownload> StartAsync(FileManifest manifest, IHolderSource holders)
    {
        var storage = _rig.Node.Storage;
        var opened = await DownloadTarget.OpenAsync(storage.Paths, storage.Downloads, manifest, null, null, Ct);
        Assert.Equal(DownloadOpenStatus.Ready, opened.Status);
        var download = new FileDownload(opened.Target!, _rig.Context(holders));
        download.Start();
        return download;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }
}
