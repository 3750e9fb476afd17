using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to a registration: the token for later calls and how often to send heartbeats.</summary>
public sealed record RegisterResponse
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    /// <summary>Secret for <see cref="TrackerHeaders.PeerToken"/>; replaced by every registration.</summary>
    [JsonPropertyName("token")]
    public required string Token { get; init; }

    [JsonPropertyName("heartbeat_interval_seconds")]
    public required int HeartbeatIntervalSeconds { get; init; }

    /// <summary>The IP address the tracker saw the registration come from.</summary>
    [JsonPropertyName("observed_address")]
    public required string ObservedAddress { get; init; }

    /// <summary>The tracker's UDP rendezvous ports (primary, alternate) on the tracker's host; absent when the rendezvous is off.</summary>
    [JsonPropertyName("udp_rendezvous_ports")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? UdpRendezvousPorts { get; init; }
}
