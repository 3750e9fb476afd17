using P2PShare.Core.Chunking;
using P2PShare.Core.Hashing;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

/// <summary>
/// How state.db keeps a manifest: name and size in columns, the chunk hashes as one BLOB of 32-byte values
/// (less than half the size of the JSON). Reading it back recomputes the Merkle root, so a damaged row is caught.
/// </summary>
internal static class StoredManifest
{
    public static byte[] ToBlob(FileManifest manifest)
    {
        var blob = new byte[manifest.ChunkHashes.Count * Sha256Hash.Size];
        for (int i = 0; i < manifest.ChunkHashes.Count; i++)
        {
            if (!Sha256Hash.TryParse(manifest.ChunkHashes[i], blob.AsSpan(i * Sha256Hash.Size, Sha256Hash.Size)))
            {
                throw new ArgumentException($"chunk_hashes[{i}] is not a SHA-256 hash", nameof(manifest));
            }
        }

        return blob;
    }

    /// <summary>Rebuilds the manifest; returns null when the blob does not produce <paramref name="expectedId"/>.</summary>
    public static FileManifest? FromBlob(string expectedId, string name, long size, byte[] blob)
    {
        if (size < 0 || blob.Length % Sha256Hash.Size != 0 || new ChunkLayout(size).ChunkCount != blob.Length / Sha256Hash.Size)
        {
            return null;
        }

        var hashes = new ChunkHashes(blob.Length / Sha256Hash.Size);
        for (int i = 0; i < hashes.Count; i++)
        {
            blob.AsSpan(i * Sha256Hash.Size, Sha256Hash.Size).CopyTo(hashes.Slot(i));
        }

        var manifest = ManifestBuilder.FromHashes(name, size, hashes);
        return string.Equals(manifest.Hash, expectedId, StringComparison.OrdinalIgnoreCase) ? manifest : null;
    }
}
