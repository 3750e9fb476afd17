using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Data of a <see cref="TrackerEventTypes.PeerLeft"/> event.</summary>
public sealed record PeerLeftEvent
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    /// <summary><c>unregistered</c> (the peer or an operator said so) or <c>expired</c> (missed heartbeats).</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }
}
