using System.Net;

namespace P2PShare.Tracker.Rendezvous;

/// <summary>
/// A token bucket per source address for the UDP rendezvous: <see cref="PerSecond"/> datagrams a second after a
/// burst of <see cref="Burst"/>. The table holds at most <see cref="MaxSources"/> addresses; when it is full, idle
/// ones are dropped, and a new source finding it still full is refused.
/// </summary>
internal sealed class SourceRateLimit(TimeProvider time, double perSecond = 10, double burst = 20, int maxSources = 4096)
{
    private readonly Dictionary<IPAddress, (double Tokens, long At)> _buckets = [];

    public double PerSecond => perSecond;

    public double Burst => burst;

    public int MaxSources => maxSources;

    public bool TryTake(IPAddress source)
    {
        long now = time.GetTimestamp();
        lock (_buckets)
        {
            if (!_buckets.TryGetValue(source, out var bucket))
            {
                if (_buckets.Count >= maxSources && !Prune(now))
                {
                    return false;
                }

                bucket = (burst, now);
            }

            double tokens = Math.Min(burst, bucket.Tokens + (time.GetElapsedTime(bucket.At, now).TotalSeconds * perSecond));
            if (tokens < 1)
            {
                _buckets[source] = (tokens, now);
                return false;
            }

            _buckets[source] = (tokens - 1, now);
            return true;
        }
    }

    /// <summary>Drops sources whose bucket has refilled (idle long enough to be forgotten); true when room was made.</summary>
    private bool Prune(long now)
    {
        var full = TimeSpan.FromSeconds(burst / perSecond);
        foreach (var (source, bucket) in _buckets)
        {
            if (time.GetElapsedTime(bucket.At, now) >= full)
            {
                _buckets.Remove(source);
            }
        }

        return _buckets.Count < maxSources;
    }
}
