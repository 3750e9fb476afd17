using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to <c>GET /api/files/{hash}/peers</c>: the live holders of one file.</summary>
public sealed record FilePeersResponse
{
    [JsonPropertyName("hash")]
    public required string Hash { get; init; }

    [JsonPropertyName("peers")]
    public required IReadOnlyList<FilePeer> Peers { get; init; }
}
