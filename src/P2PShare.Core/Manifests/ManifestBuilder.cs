using P2PShare.Core.Chunking;
using P2PShare.Core.Hashing;
using P2PShare.Core.Merkle;

namespace P2PShare.Core.Manifests;

/// <summary>Turns a file on disk into its manifest: chunk hashes on all cores, then the Merkle root.</summary>
public static class ManifestBuilder
{
    public static async Task<FileManifest> BuildAsync(string path, CancellationToken cancellationToken = default)
    {
        var hashes = await ParallelChunkHasher.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        long size = new FileInfo(path).Length;
        var layout = new ChunkLayout(size);
        if (layout.ChunkCount != hashes.Count)
        {
            throw new IOException($"{path} changed size while it was being hashed");
        }

        return FromHashes(Path.GetFileName(path), size, hashes);
    }

    public static FileManifest FromHashes(string name, long size, ChunkHashes hashes) => new()
    {
        Hash = Sha256Hash.ToHex(MerkleTree.FromLeafHashInputs(hashes.AsSpan()).Root),
        Name = name,
        Size = size,
        ChunkSize = ChunkLayout.DefaultChunkSize,
        ChunkCount = hashes.Count,
        ChunkHashes = hashes.ToHex(),
    };
}
