using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

/// <summary>A snapshot of one download as state.db knows it.</summary>
internal sealed record DownloadRecord
{
    public required FileManifest Manifest { get; init; }

    public string FileId => Manifest.Hash;

    public required DownloadState State { get; init; }

    /// <summary>Where the finished file goes; null means DATA_DIR.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The path chosen for the finished file, recorded just before it is moved there.</summary>
    public string? FinalPath { get; init; }

    public required int VerifiedChunks { get; init; }

    public required long VerifiedBytes { get; init; }

    public string? Error { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public bool IsComplete => VerifiedChunks == Manifest.ChunkCount;
}
