using P2PShare.Core.TrackerApi;
using P2PShare.Core.Transport;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// Racing paths, Happy Eyeballs style: each path starts when the one before it failed; the hole punch also when
/// direct has had <see cref="DialTimeouts.PunchHeadStart"/> to itself without connecting. A direct attempt whose TCP
/// connection is up is only slow to finish its handshake (a busy peer): the punch waits for its outcome, since a
/// punched stream costs more CPU per byte than TCP and would win only by being started. So the relay starts once the punch failed,
/// even while a direct attempt still waits for its timeout. Every path keeps its own timeout. The first to finish
/// its handshake with the expected key wins; the others are cancelled, and a loser that finished anyway is closed,
/// so no punched stream or relay tunnel outlives the race.
/// </summary>
internal sealed partial class ConnectionManager
{
    /// <summary>The winning link, or null (reasons added to <paramref name="failures"/>) when every path failed.</summary>
    private async Task<PeerLink?> RacePathsAsync(IReadOnlyList<DialPath> paths, PeerContact contact, List<string> failures, CancellationToken ct)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var attempts = new List<Task<PeerLink?>>(paths.Count);
        TaskCompletionSource? aheadConnected = null;
        foreach (var path in paths)
        {
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            attempts.Add(StartAfterAsync(path, [.. attempts], aheadConnected?.Task, connected, contact, failures, race.Token));
            aheadConnected = connected;
        }

        var pending = attempts.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (done.IsCompletedSuccessfully && done.Result is { } link)
            {
                await race.CancelAsync();
                foreach (var loser in pending)
                {
                    _ = CloseIfOpenedAsync(loser);
                }

                return link;
            }
        }

        ct.ThrowIfCancellationRequested();
        return null;
    }

    /// <summary>
    /// Starts <paramref name="path"/> once the path just before it failed (or, for the punch, its head start ended
    /// with no connection: <paramref name="aheadConnected"/>), unless an earlier one won; reports its own transport
    /// connection through <paramref name="connected"/>.
    /// </summary>
    private async Task<PeerLink?> StartAfterAsync(
        DialPath path, IReadOnlyList<Task<PeerLink?>> earlier, Task? aheadConnected, TaskCompletionSource connected, PeerContact contact, List<string> failures, CancellationToken ct)
    {
        if (earlier.Count > 0)
        {
            var ahead = earlier[^1];
            Task startWhen = path.Kind == ConnectionKind.HolePunch
                ? Task.WhenAny(ahead, HeadStartAsync(aheadConnected, ahead, ct))
                : Task.WhenAny(ahead); // never throws: the outcomes are read below
            await startWhen;
            if (ct.IsCancellationRequested || earlier.Any(e => e.IsCompletedSuccessfully && e.Result is not null))
            {
                return null;
            }
        }

        return await TryPathAsync(path, contact, failures, ct, () => connected.TrySetResult());
    }

    /// <summary>Ends after the punch's head start, or with <paramref name="ahead"/> when that path has connected by then.</summary>
    private async Task HeadStartAsync(Task? aheadConnected, Task ahead, CancellationToken ct)
    {
        await Task.Delay(_plan.Timeouts.PunchHeadStart, _time, ct);
        if (aheadConnected is { IsCompleted: true })
        {
            await Task.WhenAny(ahead);
        }
    }

    /// <summary>One path within its timeout: the link, or null with the reason added to <paramref name="failures"/>.</summary>
    private async Task<PeerLink?> TryPathAsync(DialPath path, PeerContact contact, List<string> failures, CancellationToken ct, Action? connected = null)
    {
        using var deadline = new CancellationTokenSource(path.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            return await RaceAsync(path, contact, linked.Token, connected);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            string name = ConnectionPaths.Name(path.Kind);
            string reason = deadline.IsCancellationRequested ? $"no handshake within {path.Timeout.TotalSeconds:0} s" : ex.Message;
            lock (failures)
            {
                failures.Add($"{name}: {reason}");
            }

            Log.PathFailed(_logger, contact.PeerId, name, reason);
            return null;
        }
    }

    /// <summary>Dials every address of the path at once; the first authenticated link wins, later ones are closed.</summary>
    private async Task<PeerLink> RaceAsync(DialPath path, PeerContact contact, CancellationToken ct, Action? connected)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pending = path.Addresses.Select(a => _links.ConnectAsync(path.Transport, a, contact.StaticKey, race.Token, connected)).ToList();
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

    private static async Task CloseIfOpenedAsync<T>(Task<T> attempt)
    {
        try
        {
            if (await attempt is PeerLink link)
            {
                await link.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Lost the race anyway.
        }
    }
}
