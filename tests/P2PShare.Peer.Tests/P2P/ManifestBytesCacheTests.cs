using System.Text.Json;
using P2PShare.Core.Manifests;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Tests.P2P;

public sealed class ManifestBytesCacheTests
{
    private static FileManifest Manifest(int n) => new()
    {
        Hash = n.ToString("x64"),
        Name = $"file{n}.bin",
        Size = 10,
        ChunkSize = 262_144,
        ChunkCount = 1,
        ChunkHashes = [new string('a', 64)],
    };

    [Fact]
    public void Find_AfterAdd_ReturnsTheSameBytesWithoutSerialisingAgain()
    {
        var cache = new ManifestBytesCache();
        byte[] added = cache.Add(Manifest(1));
        Assert.Same(added, cache.Find(Manifest(1).Hash));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(Manifest(1)), added);
    }

    [Fact]
    public void Add_PastCapacity_DropsTheLeastRecentlyUsed()
    {
        var cache = new ManifestBytesCache();
        for (int n = 0; n < ManifestBytesCache.Capacity; n++)
        {
            cache.Add(Manifest(n));
        }

        Assert.NotNull(cache.Find(Manifest(0).Hash)); // now the most recently used
        cache.Add(Manifest(100));

        Assert.Equal(ManifestBytesCache.Capacity, cache.Count);
        Assert.NotNull(cache.Find(Manifest(0).Hash));
        Assert.Null(cache.Find(Manifest(1).Hash));
    }
}
