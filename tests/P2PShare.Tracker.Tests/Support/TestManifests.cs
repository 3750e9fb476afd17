using System.Security.Cryptography;
using P2PShare.Core.Chunking;
using P2PShare.Core.Hashing;
using P2PShare.Core.Manifests;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>Valid manifests over random chunk hashes (the tracker never sees the bytes, only the hashes).</summary>
internal static class TestManifests
{
    public static FileManifest Random(string name = "file.bin", int chunks = 3)
    {
        var hashes = new ChunkHashes(chunks);
        for (int i = 0; i < chunks; i++)
        {
            RandomNumberGenerator.Fill(hashes.Slot(i));
        }

        long size = chunks == 0 ? 0 : ((long)(chunks - 1) * ChunkLayout.DefaultChunkSize) + 1000;
        return ManifestBuilder.FromHashes(name, size, hashes);
    }
}
