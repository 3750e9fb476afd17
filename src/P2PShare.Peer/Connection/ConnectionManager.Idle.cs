namespace P2PShare.Peer.Connection;

/// <summary>
/// Closing links that carry nothing: no download of ours attached and no more than keep-alives either way for
/// <see cref="IdleTimeout"/>. The other side does the same for its downloads.
/// </summary>
internal sealed partial class ConnectionManager
{
    /// <summary>Less than this many bytes in an idle period is keep-alive traffic, not use.</summary>
    private const long KeepAliveBytes = 4096;

    private readonly Dictionary<long, (long Bytes, long Since)> _lastTraffic = [];
    private readonly Task _idleSweep;

    public TimeSpan IdleTimeout { get; }

    private async Task SweepIdleAsync(CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            using var timer = new PeriodicTimer(IdleTimeout / 4, _time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                CloseIdleLinks();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void CloseIdleLinks()
    {
        var seen = new HashSet<long>();
        long now = _time.GetTimestamp();
        foreach (var link in _directory.Snapshot())
        {
            long id = link.Stats.Id;
            seen.Add(id);
            long bytes = link.Stats.BytesUp + link.Stats.BytesDown;
            if (link.HasListeners || !_lastTraffic.TryGetValue(id, out var last) || bytes - last.Bytes > KeepAliveBytes)
            {
                _lastTraffic[id] = (bytes, now);
            }
            else if (_time.GetElapsedTime(last.Since) >= IdleTimeout)
            {
                Log.ClosingIdle(_logger, link.RemotePeerId);
                link.Close("idle");
            }
        }

        foreach (long gone in _lastTraffic.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _lastTraffic.Remove(gone);
        }
    }
}
