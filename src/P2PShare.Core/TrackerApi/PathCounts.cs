using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>How many of a peer's reported connections use each path.</summary>
public sealed record PathCounts
{
    [JsonPropertyName("direct")]
    public int Direct { get; init; }

    [JsonPropertyName("holepunch")]
    public int HolePunch { get; init; }

    [JsonPropertyName("relay")]
    public int Relay { get; init; }
}
