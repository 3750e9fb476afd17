using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Data of a <see cref="TrackerEventTypes.FileRemoved"/> event.</summary>
public sealed record FileRemovedEvent
{
    [JsonPropertyName("hash")]
    public required string Hash { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }
}
