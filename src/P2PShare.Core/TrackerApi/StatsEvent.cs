using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Data of a <see cref="TrackerEventTypes.Stats"/> event.</summary>
public sealed record StatsEvent
{
    [JsonPropertyName("peers")]
    public required int Peers { get; init; }

    [JsonPropertyName("files")]
    public required int Files { get; init; }

    /// <summary>Event-feed clients connected right now.</summary>
    [JsonPropertyName("ws_clients")]
    public required int WsClients { get; init; }

    /// <summary>Announces accepted since the tracker started.</summary>
    [JsonPropertyName("announces_total")]
    public required long AnnouncesTotal { get; init; }

    /// <summary>Relay tunnels open right now (waiting for their ends or spliced).</summary>
    [JsonPropertyName("relay_tunnels")]
    public long RelayTunnels { get; init; }

    /// <summary>Bytes forwarded through relay tunnels since the tracker started.</summary>
    [JsonPropertyName("relay_bytes_total")]
    public long RelayBytesTotal { get; init; }

    /// <summary>Sum of the sizes of the catalogued files.</summary>
    [JsonPropertyName("total_bytes")]
    public long TotalBytes { get; init; }

    /// <summary>Bytes per second the live peers report sending, summed.</summary>
    [JsonPropertyName("upload_rate")]
    public double UploadRate { get; init; }

    /// <summary>Bytes per second the live peers report receiving, summed.</summary>
    [JsonPropertyName("download_rate")]
    public double DownloadRate { get; init; }

    [JsonPropertyName("uptime_seconds")]
    public required long UptimeSeconds { get; init; }
}
