using Microsoft.Extensions.Logging;
using P2PShare.Core.TrackerApi;
using P2PShare.Core.Transport;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// Leaving the relay while it carries a transfer. A dial that ended on the relay keeps trying the hole punch in the
/// background (<see cref="FirstPunchRetry"/> after the dial, or when <see cref="PunchDelay"/> ends, then at doubling
/// gaps, <see cref="MaxPunchRetries"/> tries). Whichever side dialled, when a direct or punched link to a peer starts
/// while a relayed one is open, <see cref="LinkUpgraded"/> tells the downloads to move their requests to it, and the
/// relayed link is closed once it is drained: none of our downloads on it, none of the remote's requests unanswered
/// on it, and no more than keep-alives either way for one check interval (or after <see cref="MaxDrain"/> at the latest; requests still on it are then asked again).
/// </summary>
internal sealed partial class ConnectionManager
{
    public static readonly TimeSpan FirstPunchRetry = TimeSpan.FromSeconds(5);

    public const int MaxPunchRetries = 5;

    private static readonly TimeSpan DrainCheckInterval = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(60);

    // Both bounded by the open relayed links (at most the registry's connection cap).
    private readonly HashSet<string> _punchRetries = [];
    private readonly HashSet<PeerLink> _draining = [];

    /// <summary>A peer reached through the relay (first argument) has a direct or punched link now (second).</summary>
    public event Action<PeerLink, PeerLink>? LinkUpgraded;

    /// <summary>
    /// A peer's relayed link closed while a direct or punched one to it stays open (the peer ID): the move is complete,
    /// and the connection list no longer shows the relay.
    /// </summary>
    public event Action<string>? PathMoved;

    /// <summary>
    /// Hole punching is held back this long from the start of each dial (PUNCH_DELAY): the dial goes direct or relayed,
    /// and the first background punch comes when the delay ends. Zero (the default) punches at once.
    /// </summary>
    public TimeSpan PunchDelay { get; }

    private void KeepTryingToPunch(PeerContact contact, PeerLink relayed, long dialStarted)
    {
        lock (_gate)
        {
            if (_plan.PunchPathTo(contact) is null || _stop.IsCancellationRequested || !_punchRetries.Add(contact.PeerId))
            {
                return;
            }
        }

        _ = PunchWhileRelayedAsync(contact, relayed, dialStarted, _stop.Token);
    }

    private async Task PunchWhileRelayedAsync(PeerContact contact, PeerLink relayed, long dialStarted, CancellationToken ct)
    {
        try
        {
            var due = PunchDelay > TimeSpan.Zero ? PunchDelay : FirstPunchRetry;
            var gap = FirstPunchRetry;
            for (int attempt = 0; attempt < MaxPunchRetries; attempt++, due += gap, gap *= 2)
            {
                var wait = due - _time.GetElapsedTime(dialStarted);
                if (wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(relayed.Closed, Task.Delay(wait, _time, ct));
                }

                ct.ThrowIfCancellationRequested();
                if (relayed.IsClosed || Find(contact.PeerId) is not { Stats.Path: ConnectionKind.Relay } || _plan.PunchPathTo(contact) is not { } path)
                {
                    return; // closed, or already moved to a better link (which may have been dialled from the other side)
                }

                long started = _time.GetTimestamp();
                if (await TryPathAsync(path, contact, [], ct) is { } punched)
                {
                    var elapsed = _time.GetElapsedTime(started);
                    punched.Stats.SetDialTime(elapsed);
                    Log.Connected(_logger, contact.PeerId, ConnectionPaths.Name(punched.Stats.Path), punched.Stats.Address, (long)elapsed.TotalMilliseconds);
                    return; // OnLinkAdded has moved the peer to it
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _punchRetries.Remove(contact.PeerId);
            }
        }
    }

    private void OnLinkAdded(PeerLink link)
    {
        if (link.Stats.Path == ConnectionKind.Relay)
        {
            return;
        }

        foreach (var relayed in _directory.Snapshot())
        {
            if (relayed.RemotePeerId != link.RemotePeerId || relayed.Stats.Path != ConnectionKind.Relay || relayed.IsClosed)
            {
                continue;
            }

            lock (_gate)
            {
                if (_stop.IsCancellationRequested || !_draining.Add(relayed))
                {
                    continue;
                }
            }

            Log.Upgraded(_logger, link.RemotePeerId, ConnectionPaths.Name(link.Stats.Path));
            LinkUpgraded?.Invoke(relayed, link);
            _ = CloseWhenDrainedAsync(relayed, link, _stop.Token);
        }
    }

    private async Task CloseWhenDrainedAsync(PeerLink relayed, PeerLink better, CancellationToken ct)
    {
        await Task.Yield(); // off the thread that is starting the new link
        long since = _time.GetTimestamp();
        long lastBytes = relayed.Stats.BytesUp + relayed.Stats.BytesDown;
        try
        {
            using var timer = new PeriodicTimer(DrainCheckInterval, _time);
            while (!relayed.IsClosed && !better.IsClosed && await timer.WaitForNextTickAsync(ct))
            {
                long bytes = relayed.Stats.BytesUp + relayed.Stats.BytesDown;
                bool drained = !relayed.HasListeners && !relayed.IsServing && bytes - lastBytes <= KeepAliveBytes;
                lastBytes = bytes;
                if (drained || _time.GetElapsedTime(since) >= MaxDrain)
                {
                    relayed.Close($"moved to {ConnectionPaths.Name(better.Stats.Path)}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _draining.Remove(relayed);
            }

            // Either side may close the drained link first; both report the move.
            if (relayed.IsClosed && !better.IsClosed && !ct.IsCancellationRequested)
            {
                _links.Unlist(relayed);
                PathMoved?.Invoke(relayed.RemotePeerId);
            }
        }
    }
}
