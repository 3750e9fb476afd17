namespace P2PShare.Peer.Downloader;

/// <summary>
/// When a download may dial a holder again after it failed (could not be reached, or stalled): after the n-th failure
/// in a row it waits <see cref="FirstDelay"/> × 2^(n−1), at most <see cref="MaxDelay"/>; after
/// <see cref="MaxFailures"/> failures the holder is banned for the rest of the download. Failures are never forgiven
/// within a download, so a holder cannot reset its count by sending a chunk now and then. One per download; not
/// thread-safe (the download calls it under its lock).
/// </summary>
internal sealed class HolderBackOff(TimeProvider time)
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    public const int MaxFailures = 6;

    private readonly Dictionary<string, (int Failures, long RetryAt)> _holders = [];

    /// <summary>Holders tracked; bounded by the holders the tracker lists for the file.</summary>
    public int Count => _holders.Count;

    public bool IsBanned(string peerId) => _holders.TryGetValue(peerId, out var h) && h.Failures >= MaxFailures;

    /// <summary>True unless the holder is banned or still waiting out its back-off.</summary>
    public bool MayDial(string peerId) =>
        !_holders.TryGetValue(peerId, out var h) || (h.Failures < MaxFailures && time.GetTimestamp() >= h.RetryAt);

    /// <summary>Records a failure; returns true when it bans the holder.</summary>
    public bool Failed(string peerId)
    {
        int failures = _holders.GetValueOrDefault(peerId).Failures + 1;
        var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(failures - 1, 30)));
        long retryAt = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
        _holders[peerId] = (failures, retryAt);
        return failures == MaxFailures;
    }
}
