using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to <c>GET /api/stats/history</c>: samples of the last hour, oldest first.</summary>
public sealed record NetworkHistoryResponse
{
    [JsonPropertyName("interval_seconds")]
    public required int IntervalSeconds { get; init; }

    [JsonPropertyName("samples")]
    public required IReadOnlyList<NetworkSample> Samples { get; init; }
}

/// <summary>The network at one moment.</summary>
public sealed record NetworkSample
{
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("peers")]
    public required int Peers { get; init; }

    [JsonPropertyName("upload_rate")]
    public required double UploadRate { get; init; }

    [JsonPropertyName("download_rate")]
    public required double DownloadRate { get; init; }
}
