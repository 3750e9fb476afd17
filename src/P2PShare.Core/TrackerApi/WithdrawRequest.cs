using System.Text.Json.Serialization;

namespace P2PShare.Core.TrackerApi;

/// <summary>Body of <c>POST /api/files/withdraw</c>: the peer no longer holds the file.</summary>
public sealed record WithdrawRequest
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    [JsonPropertyName("hash")]
    public required string Hash { get; init; }
}
