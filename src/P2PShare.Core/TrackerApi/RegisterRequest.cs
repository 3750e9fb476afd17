using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Body of <c>POST /api/peers/register</c>: who the peer is, where it listens, and proof that it holds its key.</summary>
public sealed record RegisterRequest
{
    /// <summary>40 hex characters: the first 20 bytes of SHA-256(<see cref="PublicKey"/>).</summary>
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    /// <summary>The peer's static X25519 public key, 64 hex characters.</summary>
    [JsonPropertyName("public_key")]
    public required string PublicKey { get; init; }

    /// <summary>The TCP port of the peer's P2P listener, 1..65535.</summary>
    [JsonPropertyName("port")]
    public required int Port { get; init; }

    /// <summary>The UDP port for hole punching; 0 or absent when the peer has none.</summary>
    [JsonPropertyName("udp_port")]
    public int UdpPort { get; init; }

    /// <summary>Addresses on the peer's own networks (at most <see cref="TrackerLimits.MaxLanAddresses"/>).</summary>
    /// <summary>The UDP port of the peer's Kademlia DHT node; 0 or absent when it runs none.</summary>
    [JsonPropertyName("dht_port")]
    public int DhtPort { get; init; }

    [JsonPropertyName("lan_addresses")]
    public IReadOnlyList<string>? LanAddresses { get; init; }

    /// <summary>True when the peer keeps a relay socket open and accepts tunnels through the tracker's relay.</summary>
    [JsonPropertyName("accepts_relay")]
    public bool AcceptsRelay { get; init; }

    /// <summary>Optional display name, at most <see cref="TrackerLimits.MaxNameLength"/> characters.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Optional software version, at most <see cref="TrackerLimits.MaxVersionLength"/> characters.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>The single-use nonce from <c>POST /api/peers/register/challenge</c>.</summary>
    [JsonPropertyName("nonce")]
    public string? Nonce { get; init; }

    /// <summary>
    /// Proof of holding the private half of <see cref="PublicKey"/>: see <see cref="RegistrationProof"/>
    /// (64 hex characters).
    /// </summary>
    [JsonPropertyName("proof")]
    public string? Proof { get; init; }
}
