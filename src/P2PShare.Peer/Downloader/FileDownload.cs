using Microsoft.Extensions.Logging;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Connection;
using P2PShare.Peer.Downloader.HolderSources;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>
/// Fetches one file from up to <see cref="DownloadOptions.MaxPeers"/> holders at once and finishes it. Holders come
/// from the tracker and the DHT, merged (HolderSources/); the connection manager gives the link to each (authenticated
/// against the key its source lists), and it is fed requests (see
/// FileDownload.Holders.cs). Verified chunks are announced (Have, partial announce) so downloaders feed each other.
/// </summary>
internal sealed partial class FileDownload : IAsyncDisposable
{
    private readonly DownloadTarget _target;
    private readonly DownloadContext _ctx;
    private readonly ChunkPicker _picker;
    private readonly Random _random = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<PeerLink, HolderState> _holders = [];
    private readonly HashSet<string> _connecting = [];
    private readonly HashSet<string> _banned = [];
    private readonly HolderBackOff _backOff;
    private readonly TaskCompletionSource _allVerified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private string? _diskError;
    private int _pendingWrites;
    private bool _holderListFailing; // logged once per run of failures: an outage is not a warning every few seconds

    public FileDownload(DownloadTarget target, DownloadContext context)
    {
        _target = target;
        _ctx = context;
        _backOff = new HolderBackOff(context.Time);
        _picker = new ChunkPicker(target.Bitmap, _random);
        _progress = new ProgressMeter(context.Time, target.Bitmap.SetCount, VerifiedBytesOf(target));
        if (_picker.IsComplete)
        {
            _allVerified.TrySetResult();
        }
    }

    public FileManifest Manifest => _target.Manifest;

    public string FileId => _target.FileId;

    /// <summary>Completes with the final path, or throws with the reason the download cannot finish.</summary>
    public Task Completion => _run;

    public string? FinalPath { get; private set; }

    public void Start()
    {
        _ctx.Connections.LinkUpgraded += OnLinkUpgraded;
        _run = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        long lastRefresh = 0;
        long lastProgressAt = _ctx.Time.GetTimestamp();
        int lastVerified = _progress.Chunks;
        while (!_allVerified.Task.IsCompleted)
        {
            ct.ThrowIfCancellationRequested();
            if (_diskError is not null)
            {
                throw new IOException(_diskError);
            }

            await AnnouncePartialIfDueAsync(ct);
            if (HolderCount < _ctx.Options.MaxPeers && (lastRefresh == 0 || _ctx.Time.GetElapsedTime(lastRefresh) >= _ctx.Options.HolderRefresh))
            {
                lastRefresh = _ctx.Time.GetTimestamp();
                await ConnectMoreHoldersAsync(ct);
            }

            CloseStalledHolders();
            if (_progress.Chunks != lastVerified)
            {
                lastVerified = _progress.Chunks;
                lastProgressAt = _ctx.Time.GetTimestamp();
            }
            else if (_ctx.Time.GetElapsedTime(lastProgressAt) > _ctx.Options.StallTimeout)
            {
                throw new InvalidOperationException($"no progress on {Manifest.Name} for {_ctx.Options.StallTimeout.TotalSeconds:0} s: {HolderCount} holders connected, none had a missing chunk to give ({_progress.Chunks} of {Manifest.ChunkCount} chunks verified)");
            }

            lock (_gate)
            {
                FillAllPipelines(); // picks up chunks whose Busy back-off has ended
            }

            await Task.WhenAny(_allVerified.Task, Task.Delay(TimeSpan.FromMilliseconds(500), _ctx.Time, ct));
        }

        if (_diskError is not null)
        {
            throw new IOException(_diskError);
        }

        var (finalPath, error) = await _target.CompleteAsync(ct);
        FinalPath = finalPath ?? throw new IOException(error ?? "could not move the finished file into place");
        await _ctx.Index.RegisterAsync(finalPath, Manifest, ct);
        await _ctx.Index.SetSharedAsync(finalPath, true, ct);
        await _ctx.Announcer.AnnounceAsync(Manifest, complete: true, verifiedChunks: Manifest.ChunkCount, ct);
        Log.Completed(_ctx.Logger, Manifest.Name, finalPath);
    }

    private async Task ConnectMoreHoldersAsync(CancellationToken ct)
    {
        var found = await _ctx.Holders.FindAsync(FileId, ct);
        if (found.Holders.Count == 0 && found.Failures.Count > 0)
        {
            if (!_holderListFailing)
            {
                Log.NoHolderList(_ctx.Logger, FileId, string.Join("; ", found.Failures));
            }

            _holderListFailing = true;
            return;
        }

        _holderListFailing = false;

        // Whole-file holders first, then partial ones that have something, each group in random order: were they
        // taken by most chunks held, every downloader of a swarm would pick the same few and leave the others idle.
        foreach (var holder in found.Holders.OrderByDescending(p => p.Complete).ThenByDescending(p => p.VerifiedChunks > 0).ThenBy(_ => _random.Next()))
        {
            if (HolderCount + _connecting.Count >= _ctx.Options.MaxPeers)
            {
                break;
            }

            lock (_gate)
            {
                if (holder.PeerId == _ctx.SelfPeerId || _banned.Contains(holder.PeerId) || !_backOff.MayDial(holder.PeerId) || _connecting.Contains(holder.PeerId)
                    || _holders.Keys.Any(l => l.RemotePeerId == holder.PeerId))
                {
                    continue;
                }

                _connecting.Add(holder.PeerId);
            }

            _ = ConnectHolderAsync(holder.Contact, ct);
        }
    }

    private async Task ConnectHolderAsync(PeerContact holder, CancellationToken ct)
    {
        try
        {
            var link = await _ctx.Connections.GetLinkAsync(holder, ct);
            await AddHolderAsync(link, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ConnectFailed(_ctx.Logger, holder.PeerId, ex.Message);
            HolderFailed(holder.PeerId, "unreachable");
        }
        finally
        {
            lock (_gate)
            {
                _connecting.Remove(holder.PeerId);
            }
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ctx.Connections.LinkUpgraded -= OnLinkUpgraded;
        await StopAsync();
        List<PeerLink> links;
        lock (_gate)
        {
            links = _holders.Keys.ToList();
        }

        foreach (var link in links)
        {
            link.Detach(FileId); // the link belongs to the connection manager and may serve others
        }

        await _target.DisposeAsync();
        _stop.Dispose();
    }

    private static long VerifiedBytesOf(DownloadTarget target)
    {
        var bitmap = target.Bitmap;
        var layout = new Core.Chunking.ChunkLayout(target.Manifest.Size);
        long bytes = 0;
        for (int i = 0; i < bitmap.Count; i++)
        {
            if (bitmap.Get(i))
            {
                bytes += layout.LengthOf(i);
            }
        }

        return bytes;
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Information, "{Name} complete and verified: {Path}")]
        public static partial void Completed(ILogger logger, string name, string path);

        [LoggerMessage(41, LogLevel.Warning, "cannot list holders of {FileId}: {Reason}")]
        public static partial void NoHolderList(ILogger logger, string fileId, string reason);

        [LoggerMessage(42, LogLevel.Information, "cannot reach holder {PeerId} on any path: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string peerId, string reason);

        [LoggerMessage(43, LogLevel.Warning, "dropping holder {PeerId}: {Reason}")]
        public static partial void DroppedHolder(ILogger logger, string peerId, string reason);
    }
}
