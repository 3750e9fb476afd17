using P2PShare.Core.Manifests;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class SharedFileIndexTests
{
    [Fact]
    public async Task GetOrHashAsync_UnchangedFile_ReusesStoredManifest()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("video.bin", 600_000);

        var first = await f.Index.GetOrHashAsync(path, timeout.Token);
        var second = await f.Index.GetOrHashAsync(path, timeout.Token);

        Assert.Equal(IndexStatus.Indexed, first.Status);
        Assert.True(first.Hashed);
        Assert.False(second.Hashed);
        Assert.Equal(1, f.Index.HashCount);
        Assert.Equal(ManifestJson.Serialize(first.Manifest!), ManifestJson.Serialize(second.Manifest!));
        Assert.Equal((await ManifestBuilder.BuildAsync(path, timeout.Token)).Hash, second.Manifest!.Hash);
    }

    [Fact]
    public async Task GetOrHashAsync_AfterRestart_DoesNotHashAgain()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("sub/dir/a.bin", 300_000);
        var before = await f.Index.GetOrHashAsync(path, timeout.Token);

        await f.ReopenAsync(timeout.Token);
        var after = await f.Index.GetOrHashAsync(path, timeout.Token);

        Assert.False(after.Hashed);
        Assert.Equal(0, f.Index.HashCount);
        Assert.Equal(before.Manifest!.Hash, after.Manifest!.Hash);
        Assert.Equal(path, Assert.Single(f.Index.List()).FullPath);
    }

    [Fact]
    public async Task GetOrHashAsync_MtimeChanged_HashesAgain()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        await f.Index.GetOrHashAsync(path, timeout.Token);

        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(-10));
        var result = await f.Index.GetOrHashAsync(path, timeout.Token);

        Assert.True(result.Hashed);
        Assert.Equal(2, f.Index.HashCount);
    }

    [Fact]
    public async Task GetOrHashAsync_ContentChangedSameMtime_SizeChangeDetected()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        var first = await f.Index.GetOrHashAsync(path, timeout.Token);
        var mtime = File.GetLastWriteTimeUtc(path);

        await File.AppendAllTextAsync(path, "more", timeout.Token);
        File.SetLastWriteTimeUtc(path, mtime);
        var second = await f.Index.GetOrHashAsync(path, timeout.Token);

        Assert.True(second.Hashed);
        Assert.NotEqual(first.Manifest!.Hash, second.Manifest!.Hash);
        Assert.Empty(f.Index.FindById(first.Manifest.Hash));
        Assert.Single(f.Index.FindById(second.Manifest.Hash));
    }

    [Fact]
    public async Task GetOrHashAsync_MissingFile_NotFound()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);

        var result = await f.Index.GetOrHashAsync(Path.Combine(f.Paths.DataDir, "nope"), timeout.Token);

        Assert.Equal(IndexStatus.NotFound, result.Status);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task GetOrHashAsync_EmptyFile_ZeroChunksWithoutOpening()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("empty", 0);

        var result = await f.Index.GetOrHashAsync(path, timeout.Token);

        Assert.Equal(IndexStatus.Indexed, result.Status);
        Assert.Equal(0, result.Manifest!.ChunkCount);
        Assert.Null(ManifestValidator.Validate(result.Manifest));
    }

    [Fact]
    public async Task GetOrHashAsync_FileOutsideDataDir_StoredWithAbsolutePath()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string outside = Path.Combine(f.Root, "elsewhere.bin");
        await File.WriteAllBytesAsync(outside, new byte[5000], timeout.Token);

        await f.Index.GetOrHashAsync(outside, timeout.Token);
        await f.ReopenAsync(timeout.Token);

        Assert.Equal(outside, Assert.Single(f.Index.List()).FullPath);
        Assert.False((await f.Index.GetOrHashAsync(outside, timeout.Token)).Hashed);
    }

    [Fact]
    public async Task FindById_SameContentAtTwoPaths_ReturnsBoth()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string a = f.WriteDataFile("a.bin", 70_000);
        string b = Path.Combine(f.Paths.DataDir, "b.bin");
        File.Copy(a, b);

        var indexed = await f.Index.GetOrHashAsync(a, timeout.Token);
        await f.Index.GetOrHashAsync(b, timeout.Token);

        Assert.Equal(2, f.Index.FindById(indexed.Manifest!.Hash).Count);
        Assert.Equal(2, f.Index.FindById(indexed.Manifest.Hash.ToUpperInvariant()).Count);
        Assert.Equal(indexed.Manifest.Hash, (await f.Index.GetManifestAsync(indexed.Manifest.Hash, timeout.Token))!.Hash);
    }

    [Fact]
    public async Task RemoveAsync_IndexedFile_GoneFromLookups()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        var indexed = await f.Index.GetOrHashAsync(path, timeout.Token);

        var removed = await f.Index.RemoveAsync(path, timeout.Token);
        await f.ReopenAsync(timeout.Token);

        Assert.Equal(indexed.Manifest!.Hash, removed!.FileId);
        Assert.Empty(f.Index.List());
        Assert.Empty(f.Index.FindById(indexed.Manifest.Hash));
        Assert.Null(await f.Index.RemoveAsync(path, timeout.Token));
    }

    [Fact]
    public async Task SetSharedAsync_Withdrawn_HiddenFromFindByIdButStillIndexed()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string path = f.WriteDataFile("a.bin", 1000);
        var indexed = await f.Index.GetOrHashAsync(path, timeout.Token);

        Assert.True(await f.Index.SetSharedAsync(path, false, timeout.Token));
        await f.ReopenAsync(timeout.Token);

        Assert.Empty(f.Index.FindById(indexed.Manifest!.Hash));
        Assert.False(Assert.Single(f.Index.List()).Shared);
        Assert.False((await f.Index.GetOrHashAsync(path, timeout.Token)).Hashed);
    }

    [Fact]
    public async Task RegisterAsync_KnownManifest_IndexedWithoutHashing()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("x.bin", 400_000, timeout.Token);
        string path = Path.Combine(f.Paths.DataDir, "downloaded.bin");
        await File.WriteAllBytesAsync(path, content, timeout.Token);

        var registered = await f.Index.RegisterAsync(path, manifest, timeout.Token);
        var lookedUp = await f.Index.GetOrHashAsync(path, timeout.Token);

        Assert.Equal(IndexStatus.Indexed, registered.Status);
        Assert.Equal("downloaded.bin", registered.Manifest!.Name);
        Assert.False(lookedUp.Hashed);
        Assert.Equal(0, f.Index.HashCount);
        Assert.Equal(manifest.Hash, lookedUp.Manifest!.Hash);
    }

    [Fact]
    public async Task RegisterAsync_SizeMismatch_Refused()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("x.bin", 400_000, timeout.Token);
        string path = f.WriteDataFile("other.bin", 10);

        var result = await f.Index.RegisterAsync(path, manifest, timeout.Token);

        Assert.NotEqual(IndexStatus.Indexed, result.Status);
        Assert.Empty(f.Index.List());
    }
}
