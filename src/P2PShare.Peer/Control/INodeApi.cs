using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Control;

/// <summary>
/// What the shell and the one-shot verbs can ask of a node: the node in this process (<see cref="LocalNodeApi"/>)
/// or one already running on the same data dir, reached over its control API (<see cref="ControlClient"/>).
/// Operations that cannot be done throw <see cref="InvalidOperationException"/> with a message for the user.
/// </summary>
internal interface INodeApi
{
    Task<NodeStatus> StatusAsync(CancellationToken ct);

    Task<IReadOnlyList<SharedFileView>> SharedAsync(CancellationToken ct);

    Task<IReadOnlyList<DownloadView>> DownloadsAsync(CancellationToken ct);

    Task<DownloadView> DownloadAsync(string hash, CancellationToken ct);

    /// <summary>The download once it has finished (completed, failed, paused) or after <paramref name="atMost"/>.</summary>
    Task<DownloadView> WaitDownloadAsync(string hash, TimeSpan atMost, CancellationToken ct);

    Task<IReadOnlyList<ConnectionView>> ConnectionsAsync(CancellationToken ct);

    Task<SharedFileView> ShareAsync(string path, CancellationToken ct);

    Task<DownloadView> StartDownloadAsync(string hash, string? outputDir, CancellationToken ct);

    Task<DownloadView> PauseAsync(string hash, CancellationToken ct);

    Task<DownloadView> ResumeAsync(string hash, CancellationToken ct);

    /// <summary>One page of the tracker's file list (at most <see cref="TrackerLimits.MaxPageSize"/> files).</summary>
    Task<FileListResponse> NetworkFilesAsync(string? query, int limit, int offset, CancellationToken ct);

    Task<LimitsView> LimitsAsync(CancellationToken ct);

    Task<LimitsView> SetLimitsAsync(string? up, string? down, CancellationToken ct);
}
