using System.Net;

namespace P2PShare.Dht;

/// <summary>
/// Counts queries per one-second window, per source address and in total, and says when one is over its limit.
/// The per-source table is cleared every window and holds at most <c>maxSources</c> entries, so it stays bounded
/// however many addresses send. Not thread-safe: the receive loop is its only user.
/// </summary>
internal sealed class SourceRateLimiter(int perSource, int total, TimeProvider time)
{
    private const int MaxSources = 4096;
    private readonly Dictionary<IPEndPoint, int> _counts = [];
    private long _windowStart = time.GetTimestamp();
    private int _total;

    public bool Allow(IPEndPoint source)
    {
        long now = time.GetTimestamp();
        if (time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
        {
            _counts.Clear();
            _total = 0;
            _windowStart = now;
        }

        if (_total >= total)
        {
            return false;
        }

        _counts.TryGetValue(source, out int count);
        if (count >= perSource || (count == 0 && _counts.Count >= MaxSources))
        {
            return false;
        }

        _counts[source] = count + 1;
        _total++;
        return true;
    }
}
