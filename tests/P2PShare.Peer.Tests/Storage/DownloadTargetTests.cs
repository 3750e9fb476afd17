using P2PShare.Core.Manifests;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class DownloadTargetTests
{
    private const int Chunk = 256 * 1024;

    [Fact]
    public async Task WriteChunkAsync_AllChunksThenComplete_FileInPlaceAndNoPartLeft()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("movie.mkv", (3 * Chunk) + 123, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);

        for (int i = manifest.ChunkCount - 1; i >= 0; i--)
        {
            Assert.Equal(ChunkWriteStatus.Written, (await target.WriteChunkAsync(i, Slice(content, i), timeout.Token)).Status);
        }

        var (finalPath, error) = await target.CompleteAsync(timeout.Token);

        Assert.Null(error);
        Assert.Equal(Path.Combine(f.Paths.DataDir, "movie.mkv"), finalPath);
        Assert.Equal(content, await File.ReadAllBytesAsync(finalPath!, timeout.Token));
        Assert.Empty(Directory.GetFiles(f.Paths.PartialDir));
        Assert.Equal(["movie.mkv"], Directory.GetFiles(f.Paths.DataDir).Select(Path.GetFileName));
        var record = f.Downloads.Find(manifest.Hash)!;
        Assert.Equal(DownloadState.Completed, record.State);
        Assert.Equal(finalPath, record.FinalPath);
    }

    [Fact]
    public async Task WriteChunkAsync_CorruptData_RejectedAndNotRecorded()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);
        byte[] bad = Slice(content, 0).ToArray();
        bad[1000] ^= 1;

        var corrupt = await target.WriteChunkAsync(0, bad, timeout.Token);
        var shortData = await target.WriteChunkAsync(1, Slice(content, 1)[..100], timeout.Token);
        var outOfRange = await target.WriteChunkAsync(2, Slice(content, 1), timeout.Token);

        Assert.Equal(ChunkWriteStatus.HashMismatch, corrupt.Status);
        Assert.Equal(ChunkWriteStatus.HashMismatch, shortData.Status);
        Assert.Equal(ChunkWriteStatus.HashMismatch, outOfRange.Status);
        Assert.Equal(0, target.Bitmap.SetCount);
        Assert.Equal(0, target.CommitCount);
    }

    [Fact]
    public async Task WriteChunkAsync_SameChunkTwice_AlreadyHave()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);

        await target.WriteChunkAsync(0, content, timeout.Token);
        var again = await target.WriteChunkAsync(0, content, timeout.Token);
        await target.FlushAsync(timeout.Token);

        Assert.Equal(ChunkWriteStatus.AlreadyHave, again.Status);
        Assert.Equal(1, target.CommitCount);
    }

    [Fact]
    public async Task WriteChunkAsync_ManyAtOnce_OneCommitMakesAllDurable()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 16 * Chunk, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => target.WriteChunkAsync(i, Slice(content, i), timeout.Token))));
        await target.FlushAsync(timeout.Token);
        await f.ReopenAsync(timeout.Token);

        Assert.All(results, r => Assert.Equal(ChunkWriteStatus.Written, r.Status));
        Assert.Equal(1, target.CommitCount);
        Assert.True(f.Downloads.Find(manifest.Hash)!.IsComplete);
    }

    [Fact]
    public async Task OpenAsync_AfterKill_ResumesFromBitmapWithoutRehashing()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", (4 * Chunk) + 5, timeout.Token);
        var target = await OpenReadyAsync(f, manifest, timeout.Token);
        await target.WriteChunkAsync(0, Slice(content, 0), timeout.Token);
        await target.WriteChunkAsync(2, Slice(content, 2), timeout.Token);
        await target.FlushAsync(timeout.Token);

        // A chunk in flight when the process died: its bytes reached the file, its bit never did. Torn, even.
        byte[] torn = Slice(content, 3).ToArray();
        torn.AsSpan(Chunk / 2).Clear();
        using (var raw = File.OpenHandle(target.PartialPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            RandomAccess.Write(raw, torn, 3L * Chunk);
        }

        var crashed = CopyDataDirAsIs(f);
        await target.DisposeAsync();
        await using var db = StateDatabase.Open(crashed, f.Time);
        var store = await DownloadStore.OpenAsync(db, f.Time, null, timeout.Token);

        var resumed = await DownloadTarget.OpenAsync(crashed, store, manifest, null, null, timeout.Token);
        await using var again = resumed.Target!;

        Assert.Equal(DownloadOpenStatus.Ready, resumed.Status);
        Assert.Equal(0, resumed.RecoveredChunks); // nothing re-hashed: the bitmap was trusted
        Assert.Equal([true, false, true, false, false], Enumerable.Range(0, 5).Select(again.HasChunk));
        foreach (int i in new[] { 1, 3, 4 })
        {
            Assert.Equal(ChunkWriteStatus.Written, (await again.WriteChunkAsync(i, Slice(content, i), timeout.Token)).Status);
        }

        var (finalPath, _) = await again.CompleteAsync(timeout.Token);
        Assert.Equal(content, await File.ReadAllBytesAsync(finalPath!, timeout.Token));
    }

    [Fact]
    public async Task OpenAsync_StateDbLostButPartKept_RecoversVerifiedChunksByHash()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 3 * Chunk, timeout.Token);
        await using (var target = await OpenReadyAsync(f, manifest, timeout.Token))
        {
            await target.WriteChunkAsync(0, Slice(content, 0), timeout.Token);
            await target.WriteChunkAsync(2, Slice(content, 2), timeout.Token);
        }

        await f.Downloads.RemoveAsync(manifest.Hash, timeout.Token); // as if state.db had been rebuilt
        var reopened = await DownloadTarget.OpenAsync(f.Paths, f.Downloads, manifest, null, null, timeout.Token);
        await using var recovered = reopened.Target!;

        Assert.Equal(2, reopened.RecoveredChunks);
        Assert.True(recovered.HasChunk(0));
        Assert.False(recovered.HasChunk(1));
        Assert.True(recovered.HasChunk(2));
    }

    [Fact]
    public async Task OpenAsync_PartialFileDeleted_StartsAgainFromNothing()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        await using (var target = await OpenReadyAsync(f, manifest, timeout.Token))
        {
            await target.WriteChunkAsync(0, Slice(content, 0), timeout.Token);
            File.Delete(target.PartialPath);
        }

        await using var restarted = await OpenReadyAsync(f, manifest, timeout.Token);

        Assert.Equal(0, restarted.Bitmap.SetCount);
        Assert.Equal(2 * Chunk, new FileInfo(restarted.PartialPath).Length);
    }

    [Fact]
    public async Task CompleteAsync_NameTaken_AddsNumberAndKeepsExistingFile()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string existing = f.WriteDataFile("song.mp3", 10);
        byte[] before = await File.ReadAllBytesAsync(existing, timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("song.mp3", 1000, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);
        await target.WriteChunkAsync(0, content, timeout.Token);

        var (finalPath, _) = await target.CompleteAsync(timeout.Token);

        Assert.Equal(Path.Combine(f.Paths.DataDir, "song (1).mp3"), finalPath);
        Assert.Equal(before, await File.ReadAllBytesAsync(existing, timeout.Token));
    }

    [Theory]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("con\0", "con_")]
    [InlineData("..", "download")]
    public async Task CompleteAsync_HostileName_LandsAsSafeNameInsideDataDir(string networkName, string expected)
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync(networkName, 1000, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);
        await target.WriteChunkAsync(0, content, timeout.Token);

        var (finalPath, _) = await target.CompleteAsync(timeout.Token);

        Assert.Equal(Path.Combine(f.Paths.DataDir, expected), finalPath);
    }

    [Fact]
    public async Task CompleteAsync_ChunksMissing_ErrorAndPartKept()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);
        await target.WriteChunkAsync(0, Slice(content, 0), timeout.Token);

        var (finalPath, error) = await target.CompleteAsync(timeout.Token);

        Assert.Null(finalPath);
        Assert.Contains("1 of 2 chunks are missing", error);
        Assert.True(File.Exists(target.PartialPath));
    }

    [Fact]
    public async Task WriteChunkAsync_AfterCompletion_AlreadyHave()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);
        await using var target = await OpenReadyAsync(f, manifest, timeout.Token);
        await target.WriteChunkAsync(0, content, timeout.Token);
        var (finalPath, _) = await target.CompleteAsync(timeout.Token);

        var late = await target.WriteChunkAsync(0, content, timeout.Token);

        Assert.Equal(ChunkWriteStatus.AlreadyHave, late.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(finalPath!, timeout.Token));
    }

    [Fact]
    public async Task OpenAsync_Completed_AlreadyCompleted()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);
        string? finalPath;
        await using (var target = await OpenReadyAsync(f, manifest, timeout.Token))
        {
            await target.WriteChunkAsync(0, content, timeout.Token);
            (finalPath, _) = await target.CompleteAsync(timeout.Token);
        }

        var again = await DownloadTarget.OpenAsync(f.Paths, f.Downloads, manifest, null, null, timeout.Token);

        Assert.Equal(DownloadOpenStatus.AlreadyCompleted, again.Status);
        Assert.Equal(finalPath, again.FinalPath);
    }

    [Fact]
    public async Task OpenAsync_CrashAfterMoveBeforeMarkingCompleted_FinishesBookkeeping()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);
        string finalPath = Path.Combine(f.Paths.DataDir, "a.bin");
        await using (var target = await OpenReadyAsync(f, manifest, timeout.Token))
        {
            await target.WriteChunkAsync(0, content, timeout.Token);
        }

        await f.Downloads.SetFinalPathAsync(manifest.Hash, finalPath, timeout.Token);
        File.Move(f.Paths.PartialPathFor(manifest.Hash), finalPath);

        var again = await DownloadTarget.OpenAsync(f.Paths, f.Downloads, manifest, null, null, timeout.Token);

        Assert.Equal(DownloadOpenStatus.AlreadyCompleted, again.Status);
        Assert.Equal(DownloadState.Completed, f.Downloads.Find(manifest.Hash)!.State);
    }

    [Fact]
    public async Task OpenAsync_CrashBetweenTheTwoRenames_CompletesFromStagingFile()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);
        await using (var target = await OpenReadyAsync(f, manifest, timeout.Token))
        {
            await target.WriteChunkAsync(0, content, timeout.Token);
        }

        File.Move(f.Paths.PartialPathFor(manifest.Hash), Path.Combine(f.Paths.DataDir, $".{manifest.Hash}.p2pshare-tmp"));
        await using var resumed = await OpenReadyAsync(f, manifest, timeout.Token);
        var (finalPath, error) = await resumed.CompleteAsync(timeout.Token);

        Assert.Null(error);
        Assert.Equal(content, await File.ReadAllBytesAsync(finalPath!, timeout.Token));
        Assert.Equal(["a.bin"], Directory.GetFiles(f.Paths.DataDir).Select(Path.GetFileName));
    }

    internal static ReadOnlyMemory<byte> Slice(byte[] content, int index)
    {
        int start = index * Chunk;
        return content.AsMemory(start, Math.Min(Chunk, content.Length - start));
    }

    internal static async Task<DownloadTarget> OpenReadyAsync(StorageFixture f, FileManifest manifest, CancellationToken cancellationToken)
    {
        var opened = await DownloadTarget.OpenAsync(f.Paths, f.Downloads, manifest, null, null, cancellationToken);
        Assert.Equal(DownloadOpenStatus.Ready, opened.Status);
        return opened.Target!;
    }

    /// <summary>Copies state.db, its WAL and the partial files as they are on disk now, without closing anything.</summary>
    private static PeerPaths CopyDataDirAsIs(StorageFixture f)
    {
        var copy = new PeerPaths(Path.Combine(f.Root, "after-kill"));
        copy.EnsureCreated();
        foreach (string file in Directory.GetFiles(f.Paths.StateDir).Where(p => p.Contains("state.db")))
        {
            File.Copy(file, Path.Combine(copy.StateDir, Path.GetFileName(file)));
        }

        foreach (string file in Directory.GetFiles(f.Paths.PartialDir))
        {
            File.Copy(file, Path.Combine(copy.PartialDir, Path.GetFileName(file)));
        }

        return copy;
    }
}
