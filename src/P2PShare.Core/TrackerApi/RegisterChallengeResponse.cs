using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Answer to <c>POST /api/peers/register/challenge</c>: what a registration must prove its key against.</summary>
public sealed record RegisterChallengeResponse
{
    /// <summary>A single-use random value (base64url) to put in <see cref="RegisterRequest.Nonce"/>.</summary>
    [JsonPropertyName("nonce")]
    public required string Nonce { get; init; }

    /// <summary>The tracker's static X25519 public key, 64 hex characters; the same across tracker restarts.</summary>
    [JsonPropertyName("tracker_public_key")]
    public required string TrackerPublicKey { get; init; }

    /// <summary>Seconds the nonce stays valid.</summary>
    [JsonPropertyName("expires_in_seconds")]
    public required int ExpiresInSeconds { get; init; }
}
