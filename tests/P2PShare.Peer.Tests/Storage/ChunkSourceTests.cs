using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class ChunkSourceTests
{
    private const int Chunk = 256 * 1024;

    [Fact]
    public async Task ReadChunkAsync_SharedFile_ReturnsChunkBytes()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", Chunk + 500);
        var indexed = await f.Index.GetOrHashAsync(path, timeout.Token);
        var source = new ChunkSource(f.Paths, f.Index, f.Downloads);
        byte[] buffer = new byte[Chunk];

        var result = await source.ReadChunkAsync(indexed.Manifest!.Hash, 1, buffer, timeout.Token);

        Assert.Equal(ChunkReadStatus.Ok, result.Status);
        Assert.Equal(500, result.Length);
        Assert.Equal((await File.ReadAllBytesAsync(path, timeout.Token))[Chunk..], buffer[..500]);
    }

    [Fact]
    public async Task ReadChunkAsync_UnknownFileOrIndex_NotHave()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        var indexed = await f.Index.GetOrHashAsync(path, timeout.Token);
        var source = new ChunkSource(f.Paths, f.Index, f.Downloads);
        byte[] buffer = new byte[Chunk];

        Assert.Equal(ChunkReadStatus.NotHave, (await source.ReadChunkAsync(new string('a', 64), 0, buffer, timeout.Token)).Status);
        Assert.Equal(ChunkReadStatus.NotHave, (await source.ReadChunkAsync(indexed.Manifest!.Hash, 1, buffer, timeout.Token)).Status);
        Assert.Equal(ChunkReadStatus.NotHave, (await source.ReadChunkAsync(indexed.Manifest.Hash, -1, buffer, timeout.Token)).Status);
        Assert.Equal(ChunkReadStatus.NotHave, (await source.ReadChunkAsync("../../etc/passwd", 0, buffer, timeout.Token)).Status);
    }

    [Fact]
    public async Task ReadChunkAsync_FileModifiedAfterIndexing_FileChanged()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        var indexed = await f.Index.GetOrHashAsync(path, timeout.Token);
        await File.AppendAllTextAsync(path, "x", timeout.Token);
        var source = new ChunkSource(f.Paths, f.Index, f.Downloads);

        var result = await source.ReadChunkAsync(indexed.Manifest!.Hash, 0, new byte[Chunk], timeout.Token);

        Assert.Equal(ChunkReadStatus.FileChanged, result.Status);
        Assert.Equal(path, result.ChangedPath);
    }

    [Fact]
    public async Task ReadChunkAsync_FileDeleted_FileChanged()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        var indexed = await f.Index.GetOrHashAsync(path, timeout.Token);
        File.Delete(path);
        var source = new ChunkSource(f.Paths, f.Index, f.Downloads);

        var result = await source.ReadChunkAsync(indexed.Manifest!.Hash, 0, new byte[Chunk], timeout.Token);

        Assert.Equal(ChunkReadStatus.FileChanged, result.Status);
    }

    [Fact]
    public async Task ReadChunkAsync_OneCopyChangedAnotherIntact_ServedFromIntactCopy()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string a = f.WriteDataFile("a.bin", 1000);
        string b = Path.Combine(f.Paths.DataDir, "b.bin");
        File.Copy(a, b);
        var indexed = await f.Index.GetOrHashAsync(a, timeout.Token);
        await f.Index.GetOrHashAsync(b, timeout.Token);
        File.Delete(a);
        var source = new ChunkSource(f.Paths, f.Index, f.Downloads);

        var result = await source.ReadChunkAsync(indexed.Manifest!.Hash, 0, new byte[Chunk], timeout.Token);

        Assert.Equal(ChunkReadStatus.Ok, result.Status);
    }

    [Fact]
    public async Task ReadChunkAsync_PartialDownload_OnlyVerifiedChunksServed()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        await using var target = await DownloadTargetTests.OpenReadyAsync(f, manifest, timeout.Token);
        await target.WriteChunkAsync(1, DownloadTargetTests.Slice(content, 1), timeout.Token);
        await target.FlushAsync(timeout.Token);
        var source = new ChunkSource(f.Paths, f.Index, f.Downloads);
        byte[] buffer = new byte[Chunk];

        var missing = await source.ReadChunkAsync(manifest.Hash, 0, buffer, timeout.Token);
        var verified = await source.ReadChunkAsync(manifest.Hash, 1, buffer, timeout.Token);

        Assert.Equal(ChunkReadStatus.NotHave, missing.Status);
        Assert.Equal(ChunkReadStatus.Ok, verified.Status);
        Assert.Equal(DownloadTargetTests.Slice(content, 1).ToArray(), buffer);
    }
}
