using System.Text.Json.Serialization;

namespace P2PShare.Core.Manifests;

/// <summary>
/// What a file is: its name, size and the SHA-256 of each 256 KiB chunk. <see cref="Hash"/>, the file ID, is the
/// RFC 9162 Merkle root over the chunk hashes, so a manifest from anyone can be checked against its ID.
/// </summary>
public sealed record FileManifest
{
    [JsonPropertyName("hash")]
    public required string Hash { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("size")]
    public required long Size { get; init; }

    [JsonPropertyName("chunk_size")]
    public required int ChunkSize { get; init; }

    [JsonPropertyName("chunk_count")]
    public required int ChunkCount { get; init; }

    [JsonPropertyName("chunk_hashes")]
    public required IReadOnlyList<string> ChunkHashes { get; init; }
}
