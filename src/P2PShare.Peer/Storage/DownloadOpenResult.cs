namespace P2PShare.Peer.Storage;

internal enum DownloadOpenStatus
{
    /// <summary><see cref="DownloadOpenResult.Target"/> is open and accepts chunks.</summary>
    Ready,

    /// <summary>The file is already complete at <see cref="DownloadOpenResult.FinalPath"/>; nothing to fetch.</summary>
    AlreadyCompleted,

    /// <summary>The partial file could not be created or opened; <see cref="DownloadOpenResult.Error"/> says why.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="DownloadTarget.OpenAsync"/>.</summary>
/// <param name="RecoveredChunks">Chunks found intact in a .part file that state.db did not know about (re-hashed once).</param>
internal sealed record DownloadOpenResult(
    DownloadOpenStatus Status,
    DownloadTarget? Target = null,
    string? FinalPath = null,
    string? Error = null,
    int RecoveredChunks = 0);
