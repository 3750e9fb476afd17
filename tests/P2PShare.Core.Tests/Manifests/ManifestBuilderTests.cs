using System.Security.Cryptography;
using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
using P2PShare.Core.Tests.Merkle;

namespace P2PShare.Core.Tests.Manifests;

public sealed class ManifestBuilderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(262_143)]
    [InlineData(262_144)]
    [InlineData(262_145)]
    [InlineData((3 * 262_144) + 99)]
    public async Task Build_EdgeSizes_MatchesIndependentComputation(int size)
    {
        using var dir = new TempDirectory();
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        string path = dir.Write("edge.bin", bytes);

        var manifest = await ManifestBuilder.BuildAsync(path, TestContext.Current.CancellationToken);

        var chunks = bytes.Chunk(ChunkLayout.DefaultChunkSize).Select(c => SHA256.HashData(c)).ToList();
        Assert.Equal(chunks.Select(Convert.ToHexStringLower), manifest.ChunkHashes);
        Assert.Equal(Convert.ToHexStringLower(ReferenceMerkle.Root(chunks)), manifest.Hash);
        Assert.Equal(size, manifest.Size);
        Assert.Equal(chunks.Count, manifest.ChunkCount);
        Assert.Equal("edge.bin", manifest.Name);
        Assert.Null(ManifestValidator.Validate(manifest));
    }

    [Fact]
    public async Task Build_EmptyFile_HasZeroChunksAndEmptyTreeRoot()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("empty", []);

        var manifest = await ManifestBuilder.BuildAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(0, manifest.ChunkCount);
        Assert.Empty(manifest.ChunkHashes);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", manifest.Hash);
    }

    [Fact]
    public async Task Build_SparseFileOver4GiB_UsesLongOffsets()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "sparse.bin");
        const long size = (5L * 1024 * 1024 * 1024) + 12_345;
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength(size);
            stream.Position = size - 5;
            stream.Write("tail!"u8);
        }

        var manifest = await ManifestBuilder.BuildAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(size, manifest.Size);
        Assert.Equal(20_481, manifest.ChunkCount);
        string zeroChunk = Convert.ToHexStringLower(SHA256.HashData(new byte[ChunkLayout.DefaultChunkSize]));
        Assert.All(manifest.ChunkHashes.Take(20_480), h => Assert.Equal(zeroChunk, h));
        var last = new byte[12_345];
        "tail!"u8.CopyTo(last.AsSpan(last.Length - 5));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(last)), manifest.ChunkHashes[^1]);
        Assert.Null(ManifestValidator.Validate(manifest));
    }

    [Fact]
    public async Task Build_MissingFile_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();

        await Assert.ThrowsAsync<FileNotFoundException>(
            () => ManifestBuilder.BuildAsync(Path.Combine(dir.Path, "nope"), TestContext.Current.CancellationToken));
    }
}
