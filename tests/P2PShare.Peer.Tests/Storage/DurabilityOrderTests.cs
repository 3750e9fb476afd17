using Microsoft.Win32.SafeHandles;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

/// <summary>
/// A chunk counts as verified only once its bytes are durable. Real partial files and a real state.db; between them
/// and the disk sits a flush layer that runs the real fsync, or fails it when told to, as a dying disk does.
/// </summary>
public sealed class DurabilityOrderTests
{
    [Fact]
    public async Task FlushFails_ChunkNeverMarkedVerifiedAndFetchedAgainAfterRestart()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 3 * 256 * 1024, timeout.Token);
        var disk = new FailingFlush(() => f.Downloads.GetBitmap(manifest.Hash)!.SetCount);
        var opened = await DownloadTarget.OpenAsync(f.Paths, f.Downloads, manifest, null, null, disk.Flush, timeout.Token);
        var target = opened.Target!;

        Assert.Equal(ChunkWriteStatus.Written, (await target.WriteChunkAsync(0, DownloadTargetTests.Slice(content, 0), timeout.Token)).Status);
        await target.FlushAsync(timeout.Token);
        disk.FailFromNow = true;
        Assert.Equal(ChunkWriteStatus.Written, (await target.WriteChunkAsync(1, DownloadTargetTests.Slice(content, 1), timeout.Token)).Status);
        await Assert.ThrowsAsync<IOException>(() => target.FlushAsync(timeout.Token));
        var afterFailure = await target.WriteChunkAsync(2, DownloadTargetTests.Slice(content, 2), timeout.Token);
        var verifiedBeforeRestart = target.Bitmap;
        await target.DisposeAsync(); // logs the failed final commit
        await f.ReopenAsync(timeout.Token);

        // Restarted: only the chunk whose flush succeeded is verified; the other two are fetched (written) again.
        var resumed = await DownloadTarget.OpenAsync(f.Paths, f.Downloads, manifest, null, null, timeout.Token);
        await using var again = resumed.Target!;
        Assert.Equal([0], disk.VerifiedAtEachFlush.Take(1)); // chunk 0's bit was not set before its fsync ran
        Assert.Equal(2, disk.Calls);
        Assert.Equal(ChunkWriteStatus.Failed, afterFailure.Status);
        Assert.Equal([true, false, false], Enumerable.Range(0, 3).Select(verifiedBeforeRestart.Get));
        Assert.Equal([true, false, false], Enumerable.Range(0, 3).Select(again.HasChunk));
        Assert.Equal(ChunkWriteStatus.AlreadyHave, (await again.WriteChunkAsync(0, DownloadTargetTests.Slice(content, 0), timeout.Token)).Status);
        Assert.Equal(ChunkWriteStatus.Written, (await again.WriteChunkAsync(1, DownloadTargetTests.Slice(content, 1), timeout.Token)).Status);
        Assert.Equal(ChunkWriteStatus.Written, (await again.WriteChunkAsync(2, DownloadTargetTests.Slice(content, 2), timeout.Token)).Status);
        var (finalPath, error) = await again.CompleteAsync(timeout.Token);
        Assert.Null(error);
        Assert.Equal(content, await File.ReadAllBytesAsync(finalPath!, timeout.Token));
    }

    [Fact]
    public async Task ManyChunksInFlight_EachBatchFsyncedBeforeItsBitsAreSet()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        const int chunks = 40;
        var (content, manifest) = await f.MakeContentAsync("b.bin", chunks * 256 * 1024, timeout.Token);
        var disk = new FailingFlush(() => f.Downloads.GetBitmap(manifest.Hash)!.SetCount);
        var opened = await DownloadTarget.OpenAsync(f.Paths, f.Downloads, manifest, null, null, disk.Flush, timeout.Token);
        await using var target = opened.Target!;

        var results = await Task.WhenAll(Enumerable.Range(0, chunks).Select(i => Task.Run(() => target.WriteChunkAsync(i, DownloadTargetTests.Slice(content, i), timeout.Token))));
        await target.FlushAsync(timeout.Token);

        // Every flush saw only the bits of earlier, already flushed batches: never all chunks before the last fsync.
        Assert.All(results, r => Assert.Equal(ChunkWriteStatus.Written, r.Status));
        Assert.Equal(target.CommitCount, disk.Calls);
        Assert.All(disk.VerifiedAtEachFlush, seen => Assert.True(seen < chunks));
        Assert.Equal(chunks, target.Bitmap.SetCount);
    }

    /// <summary>Runs the real fsync, or throws EIO once told to fail; notes how many chunks were verified at each call.</summary>
    private sealed class FailingFlush(Func<int> verifiedChunks)
    {
        private readonly List<int> _verifiedAtEachFlush = [];

        public volatile bool FailFromNow;

        public int Calls
        {
            get
            {
                lock (_verifiedAtEachFlush)
                {
                    return _verifiedAtEachFlush.Count;
                }
            }
        }

        public IReadOnlyList<int> VerifiedAtEachFlush
        {
            get
            {
                lock (_verifiedAtEachFlush)
                {
                    return [.. _verifiedAtEachFlush];
                }
            }
        }

        public void Flush(SafeFileHandle handle)
        {
            lock (_verifiedAtEachFlush)
            {
                _verifiedAtEachFlush.Add(verifiedChunks());
            }

            if (FailFromNow)
            {
                throw new IOException("Input/output error (fsync failed)");
            }

            RandomAccess.FlushToDisk(handle);
        }
    }
}
