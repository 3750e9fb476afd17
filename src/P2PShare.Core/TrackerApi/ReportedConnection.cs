using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>One open peer connection as a heartbeat reports it.</summary>
public sealed record ReportedConnection
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    /// <summary>One of <see cref="ConnectionPaths"/>: <c>direct</c>, <c>holepunch</c> or <c>relay</c>.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>Round-trip time in milliseconds, null when unknown.</summary>
    [JsonPropertyName("rtt_ms")]
    public int? RttMs { get; init; }
}
