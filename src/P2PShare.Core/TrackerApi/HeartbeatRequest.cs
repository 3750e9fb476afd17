using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>
/// Body of <c>POST /api/peers/heartbeat</c>, sent with the peer's <see cref="TrackerHeaders.PeerToken"/>. The
/// traffic fields are optional: a peer that leaves them out is simply shown without rates.
/// </summary>
public sealed record HeartbeatRequest
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    /// <summary>Bytes sent to other peers since the peer process started.</summary>
    [JsonPropertyName("bytes_sent")]
    public long? BytesSent { get; init; }

    /// <summary>Bytes received from other peers since the peer process started.</summary>
    [JsonPropertyName("bytes_received")]
    public long? BytesReceived { get; init; }

    /// <summary>Open peer connections, at most <see cref="TrackerLimits.MaxReportedConnections"/>.</summary>
    [JsonPropertyName("connections")]
    public IReadOnlyList<ReportedConnection>? Connections { get; init; }
}
