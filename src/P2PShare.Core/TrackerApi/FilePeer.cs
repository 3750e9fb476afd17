using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>A live peer holding a file, with everything needed to dial it and check its key.</summary>
public sealed record FilePeer
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

    [JsonPropertyName("lan_addresses")]
    public IReadOnlyList<string> LanAddresses { get; init; } = [];

    /// <summary>True when the peer keeps a relay socket open and accepts tunnels through the tracker's relay.</summary>
    [JsonPropertyName("accepts_relay")]
    public bool AcceptsRelay { get; init; }

    [JsonPropertyName("complete")]
    public required bool Complete { get; init; }

    [JsonPropertyName("verified_chunks")]
    public required int VerifiedChunks { get; init; }

    [JsonPropertyName("last_seen")]
    public required DateTimeOffset LastSeen { get; init; }
}
