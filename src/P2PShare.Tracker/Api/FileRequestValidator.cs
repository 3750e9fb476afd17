using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Api;

/// <summary>Checks announce and withdraw requests and returns them normalised (lowercase hex).</summary>
internal static class FileRequestValidator
{
    /// <summary>
    /// Null when valid (then <paramref name="normalized"/> has lowercase hex and <paramref name="verifiedChunks"/> the
    /// count to record), otherwise the message to send. The manifest is checked fully, including its Merkle root.
    /// </summary>
    public static string? Validate(AnnounceRequest request, out AnnounceRequest normalized, out int verifiedChunks)
    {
        normalized = request;
        verifiedChunks = 0;
        if (PeerRequestValidator.PeerIdError("peer_id", request.PeerId) is { } idError)
        {
            return idError;
        }

        if (ManifestValidator.Validate(request.Manifest) is { } manifestError)
        {
            return "manifest: " + manifestError;
        }

        var manifest = request.Manifest;
        if (TextChecks.HasControlCharacters(manifest.Name))
        {
            return "manifest: name must not contain control characters";
        }

        if (request.Complete)
        {
            if (request.VerifiedChunks is { } given && given != manifest.ChunkCount)
            {
                return $"verified_chunks must be chunk_count ({manifest.ChunkCount}) when complete is true, got {given}";
            }

            verifiedChunks = manifest.ChunkCount;
        }
        else
        {
            if (request.VerifiedChunks is not { } given)
            {
                return "verified_chunks is required when complete is false";
            }

            if (given < 0 || given > manifest.ChunkCount)
            {
                return $"verified_chunks must be between 0 and chunk_count ({manifest.ChunkCount}), got {given}";
            }

            verifiedChunks = given;
        }

        normalized = request with
        {
            PeerId = request.PeerId.ToLowerInvariant(),
            Manifest = manifest with
            {
                Hash = manifest.Hash.ToLowerInvariant(),
                ChunkHashes = [.. manifest.ChunkHashes.Select(h => h.ToLowerInvariant())],
            },
            VerifiedChunks = verifiedChunks,
        };
        return null;
    }

    public static string? Validate(WithdrawRequest request, out WithdrawRequest normalized)
    {
        normalized = request;
        if ((PeerRequestValidator.PeerIdError("peer_id", request.PeerId) ?? TextChecks.HashError("hash", request.Hash)) is { } error)
        {
            return error;
        }

        normalized = request with { PeerId = request.PeerId.ToLowerInvariant(), Hash = request.Hash.ToLowerInvariant() };
        return null;
    }
}
