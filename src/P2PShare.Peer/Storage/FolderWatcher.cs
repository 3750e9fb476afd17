using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace P2PShare.Peer.Storage;

/// <summary>
/// Daemon auto-share: keeps the index in step with DATA_DIR and reports each change on <see cref="Changes"/>.
/// Scans at start, after file-system events (debounced), periodically, and again while a file settles. New and
/// changed files are hashed here (only once settled); deleted ones are removed from the index. Files already in
/// the index and unchanged at start are not reported — announce <see cref="SharedFileIndex.List"/> for those.
/// </summary>
internal sealed partial class FolderWatcher : IAsyncDisposable
{
    private readonly SharedFileIndex _index;
    private readonly FolderScanner _scanner;
    private readonly FolderWatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PeerPaths _paths;
    private readonly Channel<FolderChange> _changes = Channel.CreateUnbounded<FolderChange>();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _scanGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (FileStamp Stamp, DateTimeOffset Since)> _unsettled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _unreadable = new(StringComparer.Ordinal);
    private readonly ITimer _periodic;
    private readonly ITimer _debounce;
    private readonly ITimer _settle;
    private FileSystemWatcher? _watcher;
    private Task _loop = Task.CompletedTask;
    private int _scanCount;

    public FolderWatcher(PeerPaths paths, SharedFileIndex index, FolderWatcherOptions options, TimeProvider time, ILogger? logger = null)
    {
        _paths = paths;
        _index = index;
        _scanner = new FolderScanner(paths);
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _periodic = time.CreateTimer(_ => Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _debounce = time.CreateTimer(_ => Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _settle = time.CreateTimer(_ => Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Changes, in the order they were applied to the index. Completes when the watcher is disposed.</summary>
    public ChannelReader<FolderChange> Changes => _changes.Reader;

    /// <summary>Number of scans finished so far.</summary>
    public int ScanCount => Volatile.Read(ref _scanCount);

    /// <summary>Completes when the scan started by <see cref="Start"/> has been applied (failures are logged, not thrown).</summary>
    public Task FirstScan { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Starts the first scan in the background (see <see cref="FirstScan"/>), the periodic rescan and, unless
    /// disabled, the file-system watcher. Call once.
    /// </summary>
    public void Start()
    {
        var token = _stop.Token;
        FirstScan = Task.Run(() => ScanAndLogFailureAsync(token), token);
        _loop = RunAsync(token);
        _periodic.Change(_options.RescanInterval, _options.RescanInterval);
        if (_options.WatchFileSystem)
        {
            _watcher = TryWatch();
        }
    }

    /// <summary>Scans now and applies what it finds; scans never overlap.</summary>
    public async Task RescanNowAsync(CancellationToken cancellationToken)
    {
        await _scanGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool waiting = await ApplyAsync(_scanner.Scan(_index), cancellationToken).ConfigureAwait(false);
            if (waiting)
            {
                _settle.Change(_options.SettleDelay, Timeout.InfiniteTimeSpan);
            }

            Interlocked.Increment(ref _scanCount);
        }
        finally
        {
            _scanGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _periodic.DisposeAsync().ConfigureAwait(false);
        await _debounce.DisposeAsync().ConfigureAwait(false);
        await _settle.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loop, FirstScan).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _changes.Writer.TryComplete();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            await ScanAndLogFailureAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ScanAndLogFailureAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RescanNowAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex) || ex is StateDatabaseException)
        {
            Log.ScanFailed(_logger, _paths.DataDir, ex.Message);
        }
    }

    /// <summary>Applies the differences; returns true when some file has not settled yet and needs another look.</summary>
    private async Task<bool> ApplyAsync(List<ScanDifference> differences, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        bool waiting = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var difference in differences)
        {
            seen.Add(difference.FullPath);
            if (difference.Kind == FolderChangeKind.Removed)
            {
                var removed = await _index.RemoveAsync(difference.FullPath, cancellationToken).ConfigureAwait(false);
                if (removed is { Shared: true })
                {
                    Publish(new FolderChange(FolderChangeKind.Removed, difference.FullPath, Previous: removed));
                }

                continue;
            }

            var stamp = difference.Current!.Value;
            if (_unreadable.TryGetValue(difference.FullPath, out var failedStamp) && failedStamp == stamp)
            {
                continue;
            }

            if (!IsSettled(difference.FullPath, stamp, now))
            {
                waiting = true;
                continue;
            }

            waiting |= await IndexAsync(difference, stamp, cancellationToken).ConfigureAwait(false);
        }

        foreach (string path in _unsettled.Keys.Where(p => !seen.Contains(p)).ToList())
        {
            _unsettled.Remove(path);
        }

        foreach (string path in _unreadable.Keys.Where(p => !seen.Contains(p)).ToList())
        {
            _unreadable.Remove(path);
        }

        return waiting;
    }

    /// <summary>Hashes a settled file and publishes the change; returns true when it turned out to be still changing.</summary>
    private async Task<bool> IndexAsync(ScanDifference difference, FileStamp stamp, CancellationToken cancellationToken)
    {
        var result = await _index.GetOrHashAsync(difference.FullPath, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case IndexStatus.Indexed:
                _unsettled.Remove(difference.FullPath);
                var previous = difference.Indexed;
                if (result.File!.Shared && previous?.FileId != result.File.FileId)
                {
                    var kind = previous is null ? FolderChangeKind.Added : FolderChangeKind.Changed;
                    Publish(new FolderChange(kind, difference.FullPath, result.File, result.Manifest, previous));
                }

                return false;
            case IndexStatus.Changing:
                _unsettled[difference.FullPath] = (FileStamp.Read(difference.FullPath) ?? stamp, _time.GetUtcNow());
                return true;
            case IndexStatus.Unreadable:
                _unreadable[difference.FullPath] = stamp;
                Log.Unreadable(_logger, result.Error!);
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// Settled when the mtime is at least <see cref="FolderWatcherOptions.SettleDelay"/> old, or when the same stamp
    /// was seen that long ago (covers mtimes in the future). Otherwise remembers this observation.
    /// </summary>
    private bool IsSettled(string fullPath, FileStamp stamp, DateTimeOffset now)
    {
        var modified = new DateTimeOffset(stamp.ModifiedTicks, TimeSpan.Zero);
        if (now - modified >= _options.SettleDelay)
        {
            return true;
        }

        if (_unsettled.TryGetValue(fullPath, out var seen) && seen.Stamp == stamp)
        {
            return now - seen.Since >= _options.SettleDelay;
        }

        _unsettled[fullPath] = (stamp, now);
        return false;
    }

    private void Publish(FolderChange change)
    {
        Log.Change(_logger, change.Kind, change.FullPath);
        _changes.Writer.TryWrite(change);
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private FileSystemWatcher? TryWatch()
    {
        try
        {
            var watcher = new FileSystemWatcher(_paths.DataDir)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Created += OnEvent;
            watcher.Changed += OnEvent;
            watcher.Deleted += OnEvent;
            watcher.Renamed += OnEvent;
            watcher.Error += (_, e) =>
            {
                Log.WatcherError(_logger, e.GetException().Message);
                Wake();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex) || ex is ArgumentException)
        {
            Log.WatcherError(_logger, ex.Message);
            return null;
        }
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        bool relevant = !_scanner.IsIgnored(e.FullPath)
            || (e is RenamedEventArgs renamed && !_scanner.IsIgnored(renamed.OldFullPath));
        if (relevant)
        {
            _debounce.Change(_options.Debounce, Timeout.InfiniteTimeSpan);
        }
    }
}
