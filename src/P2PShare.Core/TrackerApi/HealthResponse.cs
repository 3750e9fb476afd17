using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to <c>GET /health</c>, which never needs an API key.</summary>
public sealed record HealthResponse
{
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("peers")]
    public required int Peers { get; init; }

    [JsonPropertyName("files")]
    public required int Files { get; init; }

    [JsonPropertyName("uptime_seconds")]
    public required long UptimeSeconds { get; init; }
}
