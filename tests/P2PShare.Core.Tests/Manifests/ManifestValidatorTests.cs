using System.Security.Cryptography;
using P2PShare.Core.Hashing;
using P2PShare.Core.Manifests;

namespace P2PShare.Core.Tests.Manifests;

public sealed class ManifestValidatorTests
{
    private static FileManifest Valid()
    {
        var hashes = new ChunkHashes(3);
        for (int i = 0; i < 3; i++)
        {
            SHA256.HashData(new[] { (byte)i }, hashes.Slot(i));
        }

        return ManifestBuilder.FromHashes("movie.mkv", (2 * 262_144) + 5, hashes);
    }

    public static TheoryData<string, Func<FileManifest, FileManifest>> Corruptions() => new()
    {
        { "Merkle root", m => m with { Hash = new string('a', 64) } },
        { "hash must be 64 hex", m => m with { Hash = "xyz" } },
        { "hash must be 64 hex", m => m with { Hash = new string('g', 64) } },
        { "chunk_count must be 3", m => m with { ChunkCount = 4 } },
        { "chunk_count must be 2", m => m with { Size = 262_144 * 2 } },
        { "chunk_size must be 262144", m => m with { ChunkSize = 65_536 } },
        { "chunk_hashes must list 3", m => m with { ChunkHashes = m.ChunkHashes.Take(2).ToList() } },
        { "chunk_hashes[1] must be 64 hex", m => m with { ChunkHashes = [m.ChunkHashes[0], "zz", m.ChunkHashes[2]] } },
        { "chunk_hashes[2] must be 64 hex", m => m with { ChunkHashes = [m.ChunkHashes[0], m.ChunkHashes[1], m.ChunkHashes[2][..60]] } },
        { "Merkle root", m => m with { ChunkHashes = [m.ChunkHashes[1], m.ChunkHashes[0], m.ChunkHashes[2]] } },
        { "size must not be negative", m => m with { Size = -1 } },
        { "size 9223372036854775807 is too large: a file may have at most 2147483647 chunks", m => m with { Size = long.MaxValue } },
        { "chunk_count must be 8192 for size 2147483648", m => m with { Size = 1L << 31 } },
        { "name must not be empty", m => m with { Name = " " } },
        { "name is longer", m => m with { Name = new string('n', 300) } },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Validate_CorruptedManifest_SaysWhatIsWrong(string expectedMessage, Func<FileManifest, FileManifest> corrupt)
    {
        string? error = ManifestValidator.Validate(corrupt(Valid()));

        Assert.NotNull(error);
        Assert.Contains(expectedMessage, error);
    }

    [Fact]
    public void Validate_UppercaseHexOfValidManifest_IsAccepted()
    {
        var manifest = Valid();

        Assert.Null(ManifestValidator.Validate(manifest with { Hash = manifest.Hash.ToUpperInvariant() }));
    }

    [Fact]
    public void TryParse_RoundTripOfSerialized_ReturnsEqualManifest()
    {
        var manifest = Valid();

        Assert.True(ManifestJson.TryParse(ManifestJson.Serialize(manifest), out var parsed, out string? error), error);
        Assert.Equal(manifest.Hash, parsed!.Hash);
        Assert.Equal(manifest.ChunkHashes, parsed.ChunkHashes);
        Assert.Contains("\"chunk_hashes\"", ManifestJson.Serialize(manifest));
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "not valid JSON")]
    [InlineData("null", "manifest is missing")]
    [InlineData("{\"hash\":\"ab\"}", "not valid JSON")]
    [InlineData("{\"hash\":1,\"name\":\"a\",\"size\":0,\"chunk_size\":262144,\"chunk_count\":0,\"chunk_hashes\":[]}", "not valid JSON")]
    public void TryParse_MalformedJson_ReturnsClearError(string json, string expected)
    {
        Assert.False(ManifestJson.TryParse(json, out var manifest, out string? error));
        Assert.Null(manifest);
        Assert.Contains(expected, error);
    }
}
