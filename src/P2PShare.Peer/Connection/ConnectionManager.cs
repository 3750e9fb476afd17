using Microsoft.Extensions.Logging;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// One authenticated link per peer, shared by every download and by serving: an open link in either direction is
/// reused; otherwise the paths of the <see cref="DialPlan"/> are tried in order, and the first whose handshake
/// proves the expected static key wins. Concurrent callers for the same peer wait on the same attempt. Links that
/// carry nothing for <see cref="IdleTimeout"/> are closed (see ConnectionManager.Idle.cs).
/// </summary>
internal sealed partial class ConnectionManager : IAsyncDisposable
{
    private readonly LinkFactory _links;
    private readonly LinkDirectory _directory;
    private readonly DialPlan _plan;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Task<PeerLink>> _attempts = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();

    public ConnectionManager(LinkFactory links, LinkDirectory directory, DialPlan plan, TimeProvider time, ILogger logger, TimeSpan? idleTimeout = null)
    {
        _links = links;
        _directory = directory;
        _plan = plan;
        _time = time;
        _logger = logger;
        IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(2);
        _idleSweep = SweepIdleAsync(_stop.Token);
    }

    /// <summary>
    /// The link to <paramref name="contact"/>, opened now if there is none. Throws <see cref="IOException"/> naming
    /// every path that failed when none works.
    /// </summary>
    public async Task<PeerLink> GetLinkAsync(PeerContact contact, CancellationToken ct)
    {
        Task<PeerLink> attempt;
        lock (_gate)
        {
            if (Find(contact.PeerId) is { } open)
            {
                return open;
            }

            if (!_attempts.TryGetValue(contact.PeerId, out attempt!))
            {
                attempt = DialAsync(contact, _stop.Token);
                _attempts[contact.PeerId] = attempt;
                _ = attempt.ContinueWith(_ => Forget(contact.PeerId, attempt), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        return await attempt.WaitAsync(ct);
    }

    /// <summary>An open link to the peer in either direction, if any.</summary>
    public PeerLink? Find(string peerId) =>
        _directory.Snapshot().Where(l => l.RemotePeerId == peerId && !l.IsClosed).OrderBy(l => l.Stats.Id).FirstOrDefault();

    private void Forget(string peerId, Task<PeerLink> attempt)
    {
        lock (_gate)
        {
            if (_attempts.TryGetValue(peerId, out var current) && current == attempt)
            {
                _attempts.Remove(peerId);
            }
        }
    }

    private async Task<PeerLink> DialAsync(PeerContact contact, CancellationToken ct)
    {
        await Task.Yield(); // the caller's lock is released before any dialing starts
        var failures = new List<string>();
        foreach (var path in _plan.PathsTo(contact))
        {
            using var deadline = new CancellationTokenSource(path.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            try
            {
                var link = await RaceAsync(path, contact, linked.Token);
                Log.Connected(_logger, contact.PeerId, path.Kind.ToString().ToLowerInvariant(), link.Stats.Address);
                return link;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                string reason = deadline.IsCancellationRequested ? $"no handshake within {path.Timeout.TotalSeconds:0} s" : ex.Message;
                failures.Add($"{path.Kind.ToString().ToLowerInvariant()}: {reason}");
                Log.PathFailed(_logger, contact.PeerId, path.Kind.ToString().ToLowerInvariant(), reason);
            }
        }

        throw new IOException(failures.Count == 0
            ? $"no path to peer {contact.PeerId}: no usable address and no relay"
            : $"cannot reach peer {contact.PeerId}: {string.Join("; ", failures)}");
    }

    /// <summary>Dials every address of the path at once; the first authenticated link wins, later ones are closed.</summary>
    private async Task<PeerLink> RaceAsync(DialPath path, PeerContact contact, CancellationToken ct)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pending = path.Addresses.Select(a => _links.ConnectAsync(path.Transport, a, contact.StaticKey, race.Token)).ToList();
        Exception? last = null;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (done.IsCompletedSuccessfully)
            {
                await race.CancelAsync();
                foreach (var loser in pending)
                {
                    _ = CloseIfOpenedAsync(loser);
                }

                return done.Result;
            }

            last = done.Exception?.GetBaseException() ?? new OperationCanceledException(ct);
        }

        ct.ThrowIfCancellationRequested();
        throw last ?? new IOException("no address to dial");
    }

    private static async Task CloseIfOpenedAsync(Task<PeerLink> attempt)
    {
        try
        {
            var link = await attempt;
            await link.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Lost the race anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _idleSweep;
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(70, LogLevel.Information, "connected to {PeerId} over {Path} ({Address})")]
        public static partial void Connected(ILogger logger, string peerId, string path, string address);

        [LoggerMessage(71, LogLevel.Information, "cannot reach {PeerId} over {Path}: {Reason}")]
        public static partial void PathFailed(ILogger logger, string peerId, string path, string reason);

        [LoggerMessage(72, LogLevel.Debug, "closing idle link to {PeerId}")]
        public static partial void ClosingIdle(ILogger logger, string peerId);
    }
}
