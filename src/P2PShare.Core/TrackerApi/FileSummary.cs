using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>One catalogued file without its chunk hashes, as <c>GET /api/files</c> lists it.</summary>
public sealed record FileSummary
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

    /// <summary>Live peers holding the file, completely or partially.</summary>
    [JsonPropertyName("holders")]
    public required int Holders { get; init; }

    /// <summary>Live peers holding the complete file.</summary>
    [JsonPropertyName("seeders")]
    public required int Seeders { get; init; }

    /// <summary>When the file was first announced.</summary>
    [JsonPropertyName("announced_at")]
    public required DateTimeOffset AnnouncedAt { get; init; }
}
