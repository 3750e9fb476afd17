using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Body of <c>POST /api/peers/heartbeat</c>, sent with the peer's <see cref="TrackerHeaders.PeerToken"/>.</summary>
public sealed record HeartbeatRequest
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }
}
