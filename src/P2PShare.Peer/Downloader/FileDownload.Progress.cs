using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>Progress reporting and the partial announces that let other downloaders find our chunks.</summary>
internal sealed partial class FileDownload
{
    private static readonly TimeSpan PartialAnnounceInterval = TimeSpan.FromSeconds(5);

    private readonly ProgressMeter _progress;
    private readonly Dictionary<string, long> _bytesByPeer = [];
    private long _lastPartialAnnounce;
    private int _lastAnnouncedChunks = -1;

    public DownloadSnapshot Snapshot(DownloadState state, string? error)
    {
        lock (_gate)
        {
            return new DownloadSnapshot(
                FileId,
                Manifest.Name,
                Manifest.Size,
                state,
                _progress.Chunks,
                Manifest.ChunkCount,
                _progress.Bytes,
                _progress.Rate(),
                _holders.Count,
                FinalPath,
                error,
                new Dictionary<string, long>(_bytesByPeer));
        }
    }

    public Task AnnouncePartialAsync(CancellationToken ct)
    {
        int chunks;
        lock (_gate)
        {
            chunks = _progress.Chunks;
        }

        _lastPartialAnnounce = _ctx.Time.GetTimestamp();
        _lastAnnouncedChunks = chunks;
        return _ctx.Announcer.AnnounceAsync(Manifest, complete: false, verifiedChunks: chunks, ct);
    }

    private Task AnnouncePartialIfDueAsync(CancellationToken ct)
    {
        int chunks;
        lock (_gate)
        {
            chunks = _progress.Chunks;
        }

        // The first announce goes out at the start, with 0 chunks if need be: downloaders of the same file then
        // connect to each other at once and learn of every chunk through Have as it arrives.
        bool due = chunks != _lastAnnouncedChunks
            && (_lastAnnouncedChunks <= 0 || _ctx.Time.GetElapsedTime(_lastPartialAnnounce) >= PartialAnnounceInterval);
        return due ? AnnouncePartialAsync(ct) : Task.CompletedTask;
    }
}
