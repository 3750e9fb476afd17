namespace P2PShare.Peer.Cli;

/// <summary>
/// The transfer rate a follower shows: bytes per second over the last few seconds, counted only from when following
/// began, so the bytes a download already had (resumed, or fetched before this follower attached) never inflate it.
/// </summary>
internal sealed class FollowRate(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private const int MaxSamples = 64;

    private readonly Queue<(long At, long Bytes)> _samples = new();

    /// <summary>Records how many bytes the download has now.</summary>
    public void Add(long bytesDone)
    {
        long now = time.GetTimestamp();
        _samples.Enqueue((now, bytesDone));
        while (_samples.Count > MaxSamples || (_samples.Count > 2 && time.GetElapsedTime(_samples.Peek().At, now) > Window))
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Bytes per second between the oldest and the newest sample; 0 until time has passed.</summary>
    public double BytesPerSecond
    {
        get
        {
            if (_samples.Count < 2)
            {
                return 0;
            }

            var first = _samples.Peek();
            var last = _samples.Last();
            double seconds = time.GetElapsedTime(first.At, last.At).TotalSeconds;
            return seconds <= 0 ? 0 : Math.Max(0, last.Bytes - first.Bytes) / seconds;
        }
    }

    /// <summary>Time left at the current rate; null while the rate is unknown.</summary>
    public TimeSpan? Remaining(long bytesLeft)
    {
        double rate = BytesPerSecond;
        return rate <= 0 ? null : TimeSpan.FromSeconds(Math.Min(bytesLeft / rate, TimeSpan.FromDays(365).TotalSeconds));
    }
}
