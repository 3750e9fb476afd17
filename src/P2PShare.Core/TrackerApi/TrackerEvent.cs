using System.Text.Json;
using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>
/// One text message on the <c>/ws</c> event feed. <see cref="Type"/> is one of <see cref="TrackerEventTypes"/> and
/// says which record <see cref="Data"/> holds (<see cref="PeerInfo"/>, <see cref="PeerLeftEvent"/>,
/// <see cref="FileAnnouncedEvent"/>, <see cref="FileRemovedEvent"/> or <see cref="StatsEvent"/>).
/// </summary>
public sealed record TrackerEvent
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("data")]
    public required JsonElement Data { get; init; }
}
