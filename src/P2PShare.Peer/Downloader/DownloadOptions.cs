namespace P2PShare.Peer.Downloader;

/// <summary>How downloads behave; defaults suit a LAN or the Internet alike.</summary>
internal sealed record DownloadOptions
{
    /// <summary>Holders downloaded from at once per file (MAX_PEERS / -max-peers, default 8).</summary>
    public int MaxPeers { get; init; } = 8;

    /// <summary>Chunk requests in flight per holder, so one link's latency never idles it (default 16 = 4 MiB).</summary>
    public int PipelineDepth { get; init; } = 16;

    /// <summary>A request unanswered this long marks its holder as stalled; the link is closed and its requests reassigned.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>With no progress and no holder for this long the download fails (DOWNLOAD_STALL_TIMEOUT seconds, default 60).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often the tracker is asked for holders while below <see cref="MaxPeers"/>; short, because other
    /// downloaders become holders (partial announces) within a second of starting and should feed each other early.
    /// </summary>
    public TimeSpan HolderRefresh { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Chunks received but not yet on disk, across all holders of one file; past this no new requests go out. Many
    /// writes in flight let one fsync cover many chunks. Bounds memory at 32 × 256 KiB plus the pipelines.
    /// </summary>
    public int MaxPendingWrites { get; init; } = 32;

    /// <summary>Bad chunks a holder may send before it is dropped for that file.</summary>
    public int MaxBadChunks { get; init; } = 2;
}
