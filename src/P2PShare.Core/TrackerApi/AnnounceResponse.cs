using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to an announce; <see cref="Created"/> is true when the tracker had not catalogued the file before.</summary>
public sealed record AnnounceResponse
{
    [JsonPropertyName("hash")]
    public required string Hash { get; init; }

    [JsonPropertyName("created")]
    public required bool Created { get; init; }
}
