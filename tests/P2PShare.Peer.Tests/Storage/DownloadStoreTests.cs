using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class DownloadStoreTests
{
    private const int Chunk = 256 * 1024;

    [Fact]
    public async Task AddAsync_NewManifest_ActiveWithEmptyBitmap()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", (2 * Chunk) + 10, timeout.Token);

        var record = await f.Downloads.AddAsync(manifest, null, timeout.Token);
        var again = await f.Downloads.AddAsync(manifest, "/elsewhere", timeout.Token);

        Assert.Equal(DownloadState.Active, record.State);
        Assert.Equal(0, record.VerifiedChunks);
        Assert.Equal(f.Time.GetUtcNow(), record.CreatedAt);
        Assert.Null(again.OutputDirectory); // existing download returned unchanged
        Assert.Equal(3, f.Downloads.GetBitmap(manifest.Hash)!.Count);
        Assert.Single(f.Downloads.List());
    }

    [Fact]
    public async Task AddAsync_InvalidManifest_Throws()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);

        await Assert.ThrowsAsync<ArgumentException>(() => f.Downloads.AddAsync(manifest with { Hash = new string('0', 64) }, null, timeout.Token));
    }

    [Fact]
    public async Task MarkChunkVerifiedAsync_CopyOfFilesWhileOpen_BitsSurviveCrash()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", (2 * Chunk) + 10, timeout.Token);
        await f.Downloads.AddAsync(manifest, null, timeout.Token);
        await f.Downloads.MarkChunkVerifiedAsync(manifest.Hash, 0, timeout.Token);
        await f.Downloads.MarkChunkVerifiedAsync(manifest.Hash, 2, timeout.Token);

        // What is on disk right now is what a kill -9 would leave: copy it without closing anything.
        var crashed = new PeerPaths(Path.Combine(f.Root, "crashed"));
        crashed.EnsureCreated();
        foreach (string suffix in new[] { "", "-wal" })
        {
            if (File.Exists(f.Paths.StateDatabase + suffix))
            {
                File.Copy(f.Paths.StateDatabase + suffix, crashed.StateDatabase + suffix);
            }
        }

        await using var db = StateDatabase.Open(crashed, f.Time);
        var store = await DownloadStore.OpenAsync(db, f.Time, null, timeout.Token);
        var record = store.Find(manifest.Hash)!;

        Assert.Equal(2, record.VerifiedChunks);
        Assert.Equal(Chunk + 10, record.VerifiedBytes);
        var bitmap = store.GetBitmap(manifest.Hash)!;
        Assert.True(bitmap[0]);
        Assert.False(bitmap[1]);
        Assert.True(bitmap[2]);
        Assert.Equal(manifest, record.Manifest with { ChunkHashes = manifest.ChunkHashes });
        Assert.Equal(manifest.ChunkHashes, record.Manifest.ChunkHashes);
    }

    [Fact]
    public async Task MarkChunksVerifiedAsync_AlreadySet_CountsOnlyNewOnes()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", 3 * Chunk, timeout.Token);
        await f.Downloads.AddAsync(manifest, null, timeout.Token);

        Assert.Equal(2, await f.Downloads.MarkChunksVerifiedAsync(manifest.Hash, [0, 1], timeout.Token));
        Assert.Equal(1, await f.Downloads.MarkChunksVerifiedAsync(manifest.Hash, [1, 2], timeout.Token));
        Assert.True(f.Downloads.Find(manifest.Hash)!.IsComplete);
    }

    [Fact]
    public async Task TryMarkWritten_ThenAStateChange_ChunkStaysServableAndMarkedOnce()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        await f.Downloads.AddAsync(manifest, null, timeout.Token);

        Assert.True(f.Downloads.TryMarkWritten(manifest.Hash, 1));
        await f.Downloads.SetStateAsync(manifest.Hash, DownloadState.Paused, null, timeout.Token);

        Assert.True(f.Downloads.IsChunkServable(manifest.Hash, 1));
        Assert.False(f.Downloads.IsChunkServable(manifest.Hash, 0));
        Assert.False(f.Downloads.TryMarkWritten(manifest.Hash, 1));
        Assert.Equal(0, f.Downloads.GetBitmap(manifest.Hash)!.SetCount); // written is not verified
    }

    [Fact]
    public async Task StateChanges_AfterReopen_Kept()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);
        await f.Downloads.AddAsync(manifest, null, timeout.Token);

        f.Time.Advance(TimeSpan.FromMinutes(5));
        await f.Downloads.SetStateAsync(manifest.Hash, DownloadState.Failed, "no peers", timeout.Token);
        await f.ReopenAsync(timeout.Token);
        var record = f.Downloads.Find(manifest.Hash)!;

        Assert.Equal(DownloadState.Failed, record.State);
        Assert.Equal("no peers", record.Error);
        Assert.Equal(record.CreatedAt + TimeSpan.FromMinutes(5), record.UpdatedAt);
    }

    [Fact]
    public async Task ResetChunksAsync_VerifiedChunks_AllCleared()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        await f.Downloads.AddAsync(manifest, null, timeout.Token);
        await f.Downloads.MarkChunksVerifiedAsync(manifest.Hash, [0, 1], timeout.Token);

        await f.Downloads.ResetChunksAsync(manifest.Hash, timeout.Token);
        await f.ReopenAsync(timeout.Token);

        Assert.Equal(0, f.Downloads.Find(manifest.Hash)!.VerifiedChunks);
        Assert.Equal(0, f.Downloads.Find(manifest.Hash)!.VerifiedBytes);
    }

    [Fact]
    public async Task RemoveAsync_KnownDownload_Forgotten()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("a.bin", 1000, timeout.Token);
        await f.Downloads.AddAsync(manifest, null, timeout.Token);

        Assert.True(await f.Downloads.RemoveAsync(manifest.Hash, timeout.Token));
        Assert.False(await f.Downloads.RemoveAsync(manifest.Hash, timeout.Token));
        await f.ReopenAsync(timeout.Token);

        Assert.Null(f.Downloads.Find(manifest.Hash));
    }

    [Fact]
    public async Task OpenAsync_DamagedManifestRow_DroppedNotFatal()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, good) = await f.MakeContentAsync("good.bin", 1000, timeout.Token);
        var (_, bad) = await f.MakeContentAsync("bad.bin", 1000, timeout.Token);
        await f.Downloads.AddAsync(good, null, timeout.Token);
        await f.Downloads.AddAsync(bad, null, timeout.Token);
        await f.Db.ExecuteAsync(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "UPDATE downloads SET chunk_hashes = zeroblob(32) WHERE file_id = $id;";
            command.Parameters.AddWithValue("$id", bad.Hash);
            return command.ExecuteNonQuery();
        }, timeout.Token);

        await f.ReopenAsync(timeout.Token);

        Assert.NotNull(f.Downloads.Find(good.Hash));
        Assert.Null(f.Downloads.Find(bad.Hash));
    }
}
