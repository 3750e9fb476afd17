using P2PShare.Core.Chunking;
using P2PShare.Core.Hashing;
using P2PShare.Core.Merkle;

namespace P2PShare.Core.Manifests;

/// <summary>Checks that a manifest is internally consistent and that its chunk hashes produce its ID.</summary>
public static class ManifestValidator
{
    public const int MaxNameLength = 255;

    /// <summary>Returns null when the manifest is valid, otherwise a message saying exactly what is wrong.</summary>
    public static string? Validate(FileManifest? manifest)
    {
        if (manifest is null)
        {
            return "manifest is missing";
        }

        if (!Sha256Hash.IsHex(manifest.Hash))
        {
            return $"hash must be 64 hex characters, got '{Shorten(manifest.Hash)}'";
        }

        if (string.IsNullOrWhiteSpace(manifest.Name))
        {
            return "name must not be empty";
        }

        if (manifest.Name.Length > MaxNameLength)
        {
            return $"name is longer than {MaxNameLength} characters";
        }

        if (manifest.Size < 0)
        {
            return $"size must not be negative, got {manifest.Size}";
        }

        if (manifest.ChunkSize != ChunkLayout.DefaultChunkSize)
        {
            return $"chunk_size must be {ChunkLayout.DefaultChunkSize}, got {manifest.ChunkSize}";
        }

        // Written so that no size overflows: ceil(size / chunk_size).
        long expectedCount = (manifest.Size / ChunkLayout.DefaultChunkSize) + (manifest.Size % ChunkLayout.DefaultChunkSize == 0 ? 0 : 1);
        if (expectedCount > int.MaxValue)
        {
            return $"size {manifest.Size} is too large: a file may have at most {int.MaxValue} chunks of {ChunkLayout.DefaultChunkSize} bytes";
        }

        if (manifest.ChunkCount != expectedCount)
        {
            return $"chunk_count must be {expectedCount} for size {manifest.Size} (one per {ChunkLayout.DefaultChunkSize} bytes, rounded up), got {manifest.ChunkCount}";
        }

        if (manifest.ChunkHashes is null || manifest.ChunkHashes.Count != manifest.ChunkCount)
        {
            return $"chunk_hashes must list {manifest.ChunkCount} hashes, got {manifest.ChunkHashes?.Count ?? 0}";
        }

        for (int i = 0; i < manifest.ChunkHashes.Count; i++)
        {
            if (!Sha256Hash.IsHex(manifest.ChunkHashes[i]))
            {
                return $"chunk_hashes[{i}] must be 64 hex characters, got '{Shorten(manifest.ChunkHashes[i])}'";
            }
        }

        var hashes = Hashing.ChunkHashes.FromHex(manifest.ChunkHashes)!;
        string root = Sha256Hash.ToHex(MerkleTree.FromLeafHashInputs(hashes.AsSpan()).Root);
        if (!string.Equals(root, manifest.Hash, StringComparison.OrdinalIgnoreCase))
        {
            return $"chunk_hashes produce Merkle root {root}, not the manifest's hash {manifest.Hash}";
        }

        return null;
    }

    private static string Shorten(string? value) => value is null ? "null" : value.Length <= 80 ? value : value[..80] + "…";
}
