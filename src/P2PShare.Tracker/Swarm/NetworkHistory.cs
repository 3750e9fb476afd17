using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Swarm;

/// <summary>
/// The last hour of network samples (peers online, upload and download rate), one per stats interval, in a ring
/// of fixed size: the oldest sample makes room for the newest.
/// </summary>
internal sealed class NetworkHistory(TrackerOptions options)
{
    public static readonly TimeSpan Span = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly NetworkSample[] _ring = new NetworkSample[Capacity(options.StatsInterval)];
    private int _next;
    private int _count;

    public int IntervalSeconds { get; } = (int)options.StatsInterval.TotalSeconds;

    /// <summary>Samples kept for one hour at this interval, at least one.</summary>
    public static int Capacity(TimeSpan interval) => Math.Max(1, (int)Math.Ceiling(Span / interval));

    public void Add(NetworkSample sample)
    {
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>The samples, oldest first.</summary>
    public IReadOnlyList<NetworkSample> Samples()
    {
        lock (_lock)
        {
            var samples = new NetworkSample[_count];
            int start = (_next - _count + _ring.Length) % _ring.Length;
            for (int i = 0; i < _count; i++)
            {
                samples[i] = _ring[(start + i) % _ring.Length];
            }

            return samples;
        }
    }
}
