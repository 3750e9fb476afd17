using P2PShare.Core.Manifests;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class FolderWatcherTests
{
    private static readonly FolderWatcherOptions PeriodicOnly = new() { WatchFileSystem = false };

    [Fact]
    public async Task Start_SettledFileAlreadyThere_FirstScanReportsAdded()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 300_000);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        await using var watcher = new FolderWatcher(f.Paths, f.Index, PeriodicOnly, f.Time);

        watcher.Start();
        var change = await watcher.Changes.ReadAsync(timeout.Token);

        Assert.Equal(FolderChangeKind.Added, change.Kind);
        Assert.Equal(path, change.FullPath);
        Assert.Equal((await ManifestBuilder.BuildAsync(path, timeout.Token)).Hash, change.Manifest!.Hash);
        Assert.Equal(change.File, f.Index.Find(path));
    }

    [Fact]
    public async Task Start_IndexedAndUnchanged_NothingReported()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        await f.Index.GetOrHashAsync(f.WriteDataFile("a.bin", 1000), timeout.Token);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        await using var watcher = new FolderWatcher(f.Paths, f.Index, PeriodicOnly, f.Time);

        watcher.Start();
        await watcher.FirstScan.WaitAsync(timeout.Token);

        Assert.False(watcher.Changes.TryRead(out _));
        Assert.Equal(1, f.Index.HashCount); // only the explicit call above
    }

    [Fact]
    public async Task PeriodicRescan_FileAppearsUnannounced_ReportedAfterInterval()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        await using var watcher = new FolderWatcher(f.Paths, f.Index, PeriodicOnly, f.Time);
        watcher.Start();
        await watcher.FirstScan.WaitAsync(timeout.Token);

        string path = f.WriteDataFile("late.bin", 1000);
        Assert.False(watcher.Changes.TryRead(out _));
        f.Time.Advance(PeriodicOnly.RescanInterval);
        var change = await watcher.Changes.ReadAsync(timeout.Token);

        Assert.Equal((FolderChangeKind.Added, path), (change.Kind, change.FullPath));
    }

    [Fact]
    public async Task RescanNowAsync_FileStillGrowing_ReportedOnlyOnceSettled()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        await using var watcher = new FolderWatcher(f.Paths, f.Index, PeriodicOnly, f.Time);
        watcher.Start();
        await watcher.FirstScan.WaitAsync(timeout.Token);
        string path = f.WriteDataFile("growing.bin", 1000);

        File.SetLastWriteTimeUtc(path, f.Time.GetUtcNow().UtcDateTime);
        await watcher.RescanNowAsync(timeout.Token);
        Assert.False(watcher.Changes.TryRead(out _));

        f.Time.Advance(TimeSpan.FromSeconds(1));
        await File.AppendAllTextAsync(path, "more", timeout.Token);
        File.SetLastWriteTimeUtc(path, f.Time.GetUtcNow().UtcDateTime);
        await watcher.RescanNowAsync(timeout.Token);
        Assert.False(watcher.Changes.TryRead(out _));
        Assert.Equal(0, f.Index.HashCount);

        f.Time.Advance(PeriodicOnly.SettleDelay);
        await watcher.RescanNowAsync(timeout.Token);
        var change = await watcher.Changes.ReadAsync(timeout.Token);

        Assert.Equal(1004, change.File!.Size);
        Assert.False(watcher.Changes.TryRead(out _));
    }

    [Fact]
    public async Task RescanNowAsync_ContentChangedThenDeleted_ChangedThenRemoved()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        var original = await f.Index.GetOrHashAsync(path, timeout.Token);
        await using var watcher = new FolderWatcher(f.Paths, f.Index, PeriodicOnly, f.Time);
        watcher.Start();
        await watcher.FirstScan.WaitAsync(timeout.Token);

        f.WriteDataFile("a.bin", 2000);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        await watcher.RescanNowAsync(timeout.Token);
        var changed = await watcher.Changes.ReadAsync(timeout.Token);
        File.Delete(path);
        await watcher.RescanNowAsync(timeout.Token);
        var removed = await watcher.Changes.ReadAsync(timeout.Token);

        Assert.Equal(FolderChangeKind.Changed, changed.Kind);
        Assert.Equal(original.Manifest!.Hash, changed.Previous!.FileId);
        Assert.NotEqual(original.Manifest.Hash, changed.Manifest!.Hash);
        Assert.Equal(FolderChangeKind.Removed, removed.Kind);
        Assert.Equal(changed.Manifest.Hash, removed.Previous!.FileId);
        Assert.Empty(f.Index.List());
    }

    [Fact]
    public async Task RescanNowAsync_TouchedWithoutContentChange_NotReported()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        await f.Index.GetOrHashAsync(path, timeout.Token);
        await using var watcher = new FolderWatcher(f.Paths, f.Index, PeriodicOnly, f.Time);
        watcher.Start();
        await watcher.FirstScan.WaitAsync(timeout.Token);

        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(-30));
        f.Time.Advance(TimeSpan.FromMinutes(1));
        await watcher.RescanNowAsync(timeout.Token);

        Assert.False(watcher.Changes.TryRead(out _));
        Assert.Equal(2, f.Index.HashCount); // re-hashed once to find out, and the index now has the new mtime
        Assert.Empty(new FolderScanner(f.Paths).Scan(f.Index));
    }

    [Fact]
    public async Task FileSystemEvents_NewFileThenDeleted_AddedThenRemovedWithoutWaitingForRescan()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var options = new FolderWatcherOptions
        {
            RescanInterval = TimeSpan.FromHours(1),
            Debounce = TimeSpan.FromMilliseconds(50),
            SettleDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var watcher = new FolderWatcher(f.Paths, f.Index, options, TimeProvider.System);
        watcher.Start();
        await watcher.FirstScan.WaitAsync(timeout.Token);

        string path = f.WriteDataFile("dropped-in.bin", 5000);
        var added = await watcher.Changes.ReadAsync(timeout.Token);
        File.Delete(path);
        var removed = await watcher.Changes.ReadAsync(timeout.Token);

        Assert.Equal((FolderChangeKind.Added, path), (added.Kind, added.FullPath));
        Assert.Equal((FolderChangeKind.Removed, path), (removed.Kind, removed.FullPath));
    }

    [Fact]
    public async Task DisposeAsync_Running_CompletesChangesChannel()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var watcher = new FolderWatcher(f.Paths, f.Index, new FolderWatcherOptions(), f.Time);
        watcher.Start();

        await watcher.DisposeAsync();

        await watcher.Changes.Completion.WaitAsync(timeout.Token);
    }
}
