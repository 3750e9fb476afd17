using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>One page of <c>GET /api/files</c>; <see cref="Total"/> counts every match, not just this page.</summary>
public sealed record FileListResponse
{
    [JsonPropertyName("files")]
    public required IReadOnlyList<FileSummary> Files { get; init; }

    [JsonPropertyName("total")]
    public required int Total { get; init; }

    [JsonPropertyName("limit")]
    public required int Limit { get; init; }

    [JsonPropertyName("offset")]
    public required int Offset { get; init; }
}
