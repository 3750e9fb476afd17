using Microsoft.Extensions.Logging;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Client;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>
/// All downloads of the node: starts, pauses and resumes them, resumes active ones at start-up, and reports on
/// running and finished ones alike. State lives in state.db, so a restart (or kill -9) loses only chunks in flight.
/// </summary>
internal sealed partial class DownloadManager(PeerPaths paths, DownloadStore store, DownloadContext context) : IAsyncDisposable
{
    /// <summary>The control client gives up on a request after 30 s; the wait for an unknown file stays well inside that.</summary>
    private static readonly TimeSpan MaxManifestWait = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FileDownload> _running = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, long>?> _sourcesOfFinished = [];
    private readonly Dictionary<string, Task> _finishing = [];

    public int ActiveCount
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    public IReadOnlyList<DownloadSnapshot> List() => store.List().Select(r => Find(r.FileId)!).ToList();

    public DownloadSnapshot? Find(string fileId)
    {
        FileDownload? running;
        lock (_gate)
        {
            _running.TryGetValue(fileId, out running);
        }

        var record = store.Find(fileId);
        if (running is not null)
        {
            return running.Snapshot(record?.State ?? DownloadState.Active, record?.Error);
        }

        if (record is null)
        {
            return null;
        }

        lock (_gate)
        {
            return SnapshotOf(record) with { BytesFromPeers = _sourcesOfFinished.GetValueOrDefault(fileId) };
        }
    }

    /// <summary>
    /// The download as soon as it has finished (completed, failed or paused) or after <paramref name="atMost"/>,
    /// whichever comes first; null when there is no such download.
    /// </summary>
    public async Task<DownloadSnapshot?> WaitAsync(string fileId, TimeSpan atMost, CancellationToken ct)
    {
        Task? finishing;
        lock (_gate)
        {
            _finishing.TryGetValue(fileId, out finishing);
        }

        // Not running (paused, finished, or being paused right now): its state changes only by command, so wait.
        var delay = Task.Delay(atMost, context.Time, ct);
        await (finishing is null ? delay : Task.WhenAny(finishing, delay));
        ct.ThrowIfCancellationRequested();
        return Find(fileId);
    }

    public async Task<DownloadSnapshot> StartAsync(string fileId, string? outputDir, CancellationToken ct)
    {
        if (Find(fileId) is { State: DownloadState.Active or DownloadState.Completed } existing
            && (existing.State == DownloadState.Active || File.Exists(existing.Path)))
        {
            return existing;
        }

        var manifest = store.Find(fileId)?.Manifest ?? await FetchManifestAsync(fileId, ct);
        string? output = outputDir is null ? null : Path.GetFullPath(outputDir);
        if (output is not null)
        {
            Directory.CreateDirectory(output);
        }

        return await LaunchAsync(manifest, output, ct);
    }

    public async Task<DownloadSnapshot?> PauseAsync(string fileId, CancellationToken ct)
    {
        var download = Take(fileId);
        if (download is not null)
        {
            await download.DisposeAsync();
        }

        if (store.Find(fileId) is not { State: DownloadState.Active or DownloadState.Paused })
        {
            return Find(fileId);
        }

        await store.SetStateAsync(fileId, DownloadState.Paused, null, ct);
        return Find(fileId);
    }

    public async Task<DownloadSnapshot?> ResumeAsync(string fileId, CancellationToken ct)
    {
        var record = store.Find(fileId);
        if (record is null)
        {
            return null;
        }

        return record.State == DownloadState.Completed ? SnapshotOf(record) : await LaunchAsync(record.Manifest, record.OutputDirectory, ct);
    }

    /// <summary>Picks up every download that was active when the node stopped (cleanly or not).</summary>
    public async Task ResumeAllAsync(CancellationToken ct)
    {
        foreach (var record in store.List().Where(r => r.State == DownloadState.Active))
        {
            await LaunchAsync(record.Manifest, record.OutputDirectory, ct);
        }
    }

    public async Task AnnounceAllAsync(CancellationToken ct)
    {
        List<FileDownload> running;
        lock (_gate)
        {
            running = _running.Values.ToList();
        }

        foreach (var download in running)
        {
            await download.AnnouncePartialAsync(ct);
        }
    }

    /// <summary>
    /// The file's manifest from the tracker, else from a holder (checked against the ID). A tracker that does not know
    /// the ID (yet: it may just have restarted, its peers not registered again) or cannot be reached is asked again every second, for up to the stall
    /// timeout but no longer than <see cref="MaxManifestWait"/>, so the control request that started it still gets its answer.
    /// </summary>
    private async Task<FileManifest> FetchManifestAsync(string fileId, CancellationToken ct)
    {
        var waitAtMost = context.Options.StallTimeout < MaxManifestWait ? context.Options.StallTimeout : MaxManifestWait;
        long started = context.Time.GetTimestamp();
        bool logged = false;
        while (true)
        {
            string reason;
            try
            {
                if (await context.Tracker.GetManifestAsync(fileId, ct) is { } manifest)
                {
                    return manifest;
                }

                reason = $"no file with ID {fileId} is known to the tracker";
            }
            catch (TrackerException ex) when (ex.IsUnreachable)
            {
                reason = ex.Message;
            }
            catch (TrackerException ex)
            {
                throw new InvalidOperationException(ex.Message, ex);
            }

            // The tracker is down or has not heard of the file (yet): the holders the DHT knows can give it.
            var (fromHolder, holderReason) = await context.Manifests.FetchAsync(fileId, ct);
            if (fromHolder is not null)
            {
                return fromHolder;
            }

            reason = $"{reason}; {holderReason}";
            if (context.Time.GetElapsedTime(started) >= waitAtMost)
            {
                throw new InvalidOperationException(reason);
            }

            if (!logged)
            {
                logged = true;
                Log.WaitingForManifest(context.Logger, reason, waitAtMost.TotalSeconds);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), context.Time, ct);
        }
    }

    private async Task<DownloadSnapshot> LaunchAsync(FileManifest manifest, string? outputDir, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(manifest.Hash, out var already))
            {
                return already.Snapshot(DownloadState.Active, null);
            }
        }

        var opened = await DownloadTarget.OpenAsync(paths, store, manifest, outputDir, context.Logger, ct);
        if (opened.Status == DownloadOpenStatus.Failed)
        {
            throw new InvalidOperationException($"cannot start {manifest.Name}: {opened.Error}");
        }

        if (opened.Status == DownloadOpenStatus.AlreadyCompleted)
        {
            return Find(manifest.Hash)!;
        }

        await store.SetStateAsync(manifest.Hash, DownloadState.Active, null, ct);
        var download = new FileDownload(opened.Target!, context);
        lock (_gate)
        {
            _running[manifest.Hash] = download;
        }

        download.Start();
        var finishing = FinishAsync(download);
        lock (_gate)
        {
            if (!finishing.IsCompleted)
            {
                _finishing[manifest.Hash] = finishing;
            }
        }

        return download.Snapshot(DownloadState.Active, null);
    }

    private async Task FinishAsync(FileDownload download)
    {
        try
        {
            await SettleAsync(download);
        }
        finally
        {
            lock (_gate)
            {
                _finishing.Remove(download.FileId);
            }
        }
    }

    /// <summary>Records how the download ended and releases it.</summary>
    private async Task SettleAsync(FileDownload download)
    {
        string? error = null;
        try
        {
            await download.Completion;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or StateDatabaseException)
        {
            error = ex.Message;
            Log.Failed(context.Logger, download.Manifest.Name, ex.Message);
        }

        lock (_gate)
        {
            _sourcesOfFinished[download.FileId] = download.Snapshot(DownloadState.Completed, null).BytesFromPeers;
        }

        if (Take(download.FileId) is { } finished)
        {
            if (error is not null)
            {
                await store.SetStateAsync(download.FileId, DownloadState.Failed, error, CancellationToken.None);
            }

            await finished.DisposeAsync();
        }
    }

    private FileDownload? Take(string fileId)
    {
        lock (_gate)
        {
            return _running.Remove(fileId, out var download) ? download : null;
        }
    }

    private static DownloadSnapshot SnapshotOf(DownloadRecord r) => new(
        r.FileId, r.Manifest.Name, r.Manifest.Size, r.State, r.VerifiedChunks, r.Manifest.ChunkCount, r.VerifiedBytes, 0, 0, r.FinalPath, r.Error);

    public async ValueTask DisposeAsync()
    {
        List<FileDownload> running;
        lock (_gate)
        {
            running = _running.Values.ToList();
            _running.Clear();
        }

        foreach (var download in running)
        {
            await download.DisposeAsync();
        }
    }

    private static partial class Log
    {
        // Information, not Warning: a shell or a one-shot download prints the failure itself (NodeCommands), so it is not
        // shown twice there, while a daemon's log (Information and up) still records it.
        [LoggerMessage(50, LogLevel.Information, "download of {Name} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string name, string reason);

        [LoggerMessage(51, LogLevel.Information, "{Reason}; asking again every second for up to {Seconds} s")]
        public static partial void WaitingForManifest(ILogger logger, string reason, double seconds);
    }
}
