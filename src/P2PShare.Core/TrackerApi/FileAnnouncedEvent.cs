using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Data of a <see cref="TrackerEventTypes.FileAnnounced"/> event.</summary>
public sealed record FileAnnouncedEvent
{
    /// <summary>The file as the catalogue now lists it.</summary>
    [JsonPropertyName("file")]
    public required FileSummary File { get; init; }

    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    /// <summary>True when this announce added the file to the catalogue.</summary>
    [JsonPropertyName("created")]
    public required bool Created { get; init; }

    [JsonPropertyName("complete")]
    public required bool Complete { get; init; }
}
