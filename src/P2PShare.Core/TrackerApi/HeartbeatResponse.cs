using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to a heartbeat: the interval to keep using (it may change while the tracker runs).</summary>
public sealed record HeartbeatResponse
{
    [JsonPropertyName("heartbeat_interval_seconds")]
    public required int HeartbeatIntervalSeconds { get; init; }
}
