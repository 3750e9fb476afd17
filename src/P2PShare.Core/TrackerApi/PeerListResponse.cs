using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to <c>GET /api/peers</c>: every live peer.</summary>
public sealed record PeerListResponse
{
    [JsonPropertyName("peers")]
    public required IReadOnlyList<PeerInfo> Peers { get; init; }
}
