using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>One registered peer as <c>GET /api/peers</c> lists it (never its token).</summary>
public sealed record PeerInfo
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    [JsonPropertyName("public_key")]
    public required string PublicKey { get; init; }

    /// <summary>The IP address the tracker observed at registration.</summary>
    [JsonPropertyName("address")]
    public required string Address { get; init; }

    [JsonPropertyName("port")]
    public required int Port { get; init; }

    /// <summary>0 when the peer has no UDP port.</summary>
    [JsonPropertyName("udp_port")]
    public int UdpPort { get; init; }

    /// <summary>The UDP port of the peer's Kademlia DHT node; 0 or absent when it runs none.</summary>
    [JsonPropertyName("dht_port")]
    public int DhtPort { get; init; }
    /// <summary>The peer's UDP endpoint as the tracker's rendezvous last observed it ("ip:port"), or null.</summary>
    [JsonPropertyName("udp_endpoint")]
    public string? UdpEndpoint { get; init; }

    /// <summary>The peer's NAT mapping as it reported it: endpoint-independent, endpoint-dependent or unknown.</summary>
    [JsonPropertyName("nat_mapping")]
    public string NatMapping { get; init; } = "unknown";

    [JsonPropertyName("lan_addresses")]
    public IReadOnlyList<string> LanAddresses { get; init; } = [];

    /// <summary>True when the peer keeps a relay socket open and accepts tunnels through the tracker's relay.</summary>
    [JsonPropertyName("accepts_relay")]
    public bool AcceptsRelay { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("registered_at")]
    public required DateTimeOffset RegisteredAt { get; init; }

    [JsonPropertyName("last_seen")]
    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>How many catalogued files this peer holds, completely or partially.</summary>
    [JsonPropertyName("files")]
    public int Files { get; init; }

    /// <summary>Bytes the peer reported sending since it started (0 until its first heartbeat with counters).</summary>
    [JsonPropertyName("bytes_sent")]
    public long BytesSent { get; init; }

    [JsonPropertyName("bytes_received")]
    public long BytesReceived { get; init; }

    /// <summary>Bytes per second sent, computed by the tracker from the last two heartbeats.</summary>
    [JsonPropertyName("upload_rate")]
    public double UploadRate { get; init; }

    [JsonPropertyName("download_rate")]
    public double DownloadRate { get; init; }

    [JsonPropertyName("paths")]
    public PathCounts Paths { get; init; } = new();

    /// <summary>The peer's open connections as its last heartbeat reported them.</summary>
    [JsonPropertyName("connections")]
    public IReadOnlyList<ReportedConnection> Connections { get; init; } = [];
}
