using Microsoft.Extensions.Logging;
using P2PShare.Core.TrackerApi;
using P2PShare.Core.Transport;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// One authenticated link per peer, shared by every download and by serving: an open link in either direction is
/// reused; otherwise the paths of the <see cref="DialPlan"/> are dialled (direct and hole punch raced, then the
/// relay), and the first whose handshake proves the expected static key wins. Concurrent callers for the same peer
/// wait on the same attempt. A relayed peer is moved to a punched link when one comes up (ConnectionManager.Upgrade.cs).
/// Links that carry nothing for <see cref="IdleTimeout"/> are closed (see ConnectionManager.Idle.cs).
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

    public ConnectionManager(LinkFactory links, LinkDirectory directory, DialPlan plan, TimeProvider time, ILogger logger, TimeSpan? idleTimeout = null, TimeSpan punchDelay = default)
    {
        _links = links;
        _directory = directory;
        _plan = plan;
        _time = time;
        _logger = logger;
        IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(2);
        PunchDelay = punchDelay;
        _directory.Added += OnLinkAdded;
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

    /// <summary>An open link to the peer in either direction, if any; a direct or punched one before a relayed one.</summary>
    public PeerLink? Find(string peerId) =>
        _directory.Snapshot().Where(l => l.RemotePeerId == peerId && !l.IsClosed)
            .OrderBy(l => l.Stats.Path == ConnectionKind.Relay)
            .ThenBy(l => l.Stats.Id)
            .FirstOrDefault();

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

    /// <summary>
    /// Direct TCP and the hole punch race (the punch after its head start, see ConnectionManager.Race.cs); the relay
    /// joins only when the punch failed (or, with no punch, when direct failed). The time to the winner's handshake is kept on the link (<c>dial_ms</c>); a
    /// relayed winner keeps being offered a punched path (ConnectionManager.Upgrade.cs).
    /// </summary>
    private async Task<PeerLink> DialAsync(PeerContact contact, CancellationToken ct)
    {
        await Task.Yield(); // the caller's lock is released before any dialing starts
        long started = _time.GetTimestamp();
        var failures = new List<string>();
        var paths = _plan.PathsTo(contact, punch: PunchDelay <= TimeSpan.Zero);
        var link = await RacePathsAsync(paths, contact, failures, ct);
        if (link is null)
        {
            throw new IOException(failures.Count == 0
                ? $"no path to peer {contact.PeerId}: no usable address and no relay"
                : $"cannot reach peer {contact.PeerId}: {string.Join("; ", failures)}");
        }

        var elapsed = _time.GetElapsedTime(started);
        link.Stats.SetDialTime(elapsed);
        Log.Connected(_logger, contact.PeerId, ConnectionPaths.Name(link.Stats.Path), link.Stats.Address, (long)elapsed.TotalMilliseconds);
        if (link.Stats.Path == ConnectionKind.Relay)
        {
            KeepTryingToPunch(contact, link, started);
        }

        return link;
    }

    public async ValueTask DisposeAsync()
    {
        _directory.Added -= OnLinkAdded;
        await _stop.CancelAsync();
        await _idleSweep;
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(70, LogLevel.Information, "connected to {PeerId} over {Path} ({Address}) in {DialMs} ms")]
        public static partial void Connected(ILogger logger, string peerId, string path, string address, long dialMs);

        [LoggerMessage(71, LogLevel.Information, "cannot reach {PeerId} over {Path}: {Reason}")]
        public static partial void PathFailed(ILogger logger, string peerId, string path, string reason);

        [LoggerMessage(72, LogLevel.Debug, "closing idle link to {PeerId}")]
        public static partial void ClosingIdle(ILogger logger, string peerId);

        [LoggerMessage(73, LogLevel.Information, "link to {PeerId} moved from relay to {Path}; the relayed link closes once drained")]
        public static partial void Upgraded(ILogger logger, string peerId, string path);
    }
}
