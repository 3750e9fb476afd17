using System.Security.Cryptography;
using P2PShare.Core.Chunking;
using P2PShare.Core.Hashing;
using P2PShare.Core.Tests.Vectors;

namespace P2PShare.Core.Tests.Hashing;

public sealed class Sha256VectorTests
{
    public static TheoryData<string, string> NistVectors()
    {
        var data = new TheoryData<string, string>();
        var seen = new HashSet<string>();
        var root = VectorFile.Load("sha256.json");
        foreach (string section in new[] { "examples", "cavp_short_msg", "cavp_long_msg" })
        {
            foreach (var vector in root.GetProperty(section).EnumerateArray())
            {
                // The empty message is both a worked example and the first CAVP vector; one row is enough.
                if (vector.TryGetProperty("msg", out var msg) && msg.ValueKind == System.Text.Json.JsonValueKind.String
                    && seen.Add(msg.GetString()!))
                {
                    data.Add(msg.GetString()!, vector.GetProperty("md").GetString()!);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NistVectors))]
    public async Task HashFile_NistMessageAsOneChunkFile_MatchesDigest(string messageHex, string digestHex)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("msg.bin", Convert.FromHexString(messageHex));

        var hashes = await ParallelChunkHasher.HashFileAsync(path, TestContext.Current.CancellationToken);

        if (messageHex.Length == 0)
        {
            Assert.Equal(0, hashes.Count);
        }
        else
        {
            Assert.Equal(digestHex, Sha256Hash.ToHex(hashes[0]));
        }
    }

    [Fact]
    public async Task HashFile_MillionA_MatchesFips180Digest()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("a.bin", Enumerable.Repeat((byte)'a', 1_000_000).ToArray());

        var hashes = await ParallelChunkHasher.HashFileAsync(path, TestContext.Current.CancellationToken);

        var expected = new List<string>();
        using var reader = ChunkFileReader.Open(path);
        var buffer = new byte[ChunkLayout.DefaultChunkSize];
        for (int i = 0; i < reader.Layout.ChunkCount; i++)
        {
            int length = reader.ReadChunk(i, buffer);
            expected.Add(Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, length))));
        }

        Assert.Equal(expected, hashes.ToHex());
        Assert.Equal(
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public async Task HashFile_AnyWorkerCount_SameHashes(int workers)
    {
        using var dir = new TempDirectory();
        var bytes = new byte[(ChunkLayout.DefaultChunkSize * 9) + 123];
        new Random(42).NextBytes(bytes);
        string path = dir.Write("r.bin", bytes);

        var hashes = await ParallelChunkHasher.HashFileAsync(path, workers, TestContext.Current.CancellationToken);

        Assert.Equal(10, hashes.Count);
        for (int i = 0; i < hashes.Count; i++)
        {
            int offset = i * ChunkLayout.DefaultChunkSize;
            int length = Math.Min(ChunkLayout.DefaultChunkSize, bytes.Length - offset);
            Assert.Equal(SHA256.HashData(bytes.AsSpan(offset, length)), hashes[i].ToArray());
        }
    }
}
