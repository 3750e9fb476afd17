using System.Text.Json.Serialization;
using P2PShare.Core.Manifests;

namespace P2PShare.Core.TrackerApi;

/// <summary>
/// Body of <c>POST /api/files/announce</c>: the peer holds this file, completely or (with
/// <see cref="Complete"/> false) the given number of verified chunks.
/// </summary>
public sealed record AnnounceRequest
{
    [JsonPropertyName("peer_id")]
    public required string PeerId { get; init; }

    [JsonPropertyName("manifest")]
    public required FileManifest Manifest { get; init; }

    /// <summary>
    /// True (the default when absent) when the peer holds the whole file. A setter rather than init: the
    /// source-generated reader then leaves the default alone when the field is missing, instead of writing false.
    /// </summary>
    [JsonPropertyName("complete")]
    public bool Complete { get; set; } = true;

    /// <summary>Required when <see cref="Complete"/> is false: 0..chunk_count.</summary>
    [JsonPropertyName("verified_chunks")]
    public int? VerifiedChunks { get; init; }
}
