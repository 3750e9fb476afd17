namespace P2PShare.Peer.P2P;

/// <summary>Bytes per second over fixed windows of time. Not thread-safe (its owner locks).</summary>
internal sealed class RateMeter(TimeProvider time, TimeSpan window)
{
    private long _windowStart = time.GetTimestamp();
    private long _windowBytes;

    /// <summary>The rate over the last complete window; null until one has passed.</summary>
    public double? LastWindow
    {
        get
        {
            Roll();
            return field;
        }

        private set;
    }

    /// <summary>Time since the current window began.</summary>
    public TimeSpan CurrentElapsed => time.GetElapsedTime(_windowStart);

    /// <summary>The rate so far in the current window.</summary>
    public double Current => _windowBytes / Math.Max(CurrentElapsed.TotalSeconds, double.Epsilon);

    public void Add(long bytes)
    {
        _windowBytes += bytes;
        Roll();
    }

    private void Roll()
    {
        var elapsed = CurrentElapsed;
        if (elapsed >= window)
        {
            LastWindow = _windowBytes / elapsed.TotalSeconds;
            _windowStart = time.GetTimestamp();
            _windowBytes = 0;
        }
    }
}
