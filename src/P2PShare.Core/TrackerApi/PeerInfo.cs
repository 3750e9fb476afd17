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
}
