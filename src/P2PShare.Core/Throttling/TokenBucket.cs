namespace P2PShare.Core.Throttling;

/// <summary>
/// A token bucket of bytes on a <see cref="TimeProvider"/>, shared by every connection it limits. Callers reserve
/// tokens in arrival order (the balance may go negative) and then sleep until their reservation is covered, so
/// waiting is first come, first served and the long-run rate never exceeds the limit by more than one burst.
/// The rate can change at any time; 0 means unlimited.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _rate;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(long bytesPerSecond, TimeProvider time)
    {
        _time = time;
        _lastRefill = time.GetTimestamp();
        SetRate(bytesPerSecond);
    }

    /// <summary>Bytes per second; 0 is unlimited.</summary>
    public long Rate => Interlocked.Read(ref _rate);

    public bool IsUnlimited => Rate <= 0;

    /// <summary>The most that may pass at once after an idle spell: 50 ms worth of the rate, at least 16 KiB.</summary>
    public double Burst => Math.Max(16 * 1024, Rate / 20.0);

    public void SetRate(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        lock (_gate)
        {
            Refill();
            Interlocked.Exchange(ref _rate, bytesPerSecond);
            _tokens = Math.Min(_tokens, Burst);
        }
    }

    /// <summary>Takes <paramref name="bytes"/> tokens, waiting as long as the rate requires.</summary>
    public ValueTask TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            long rate = Rate;
            if (rate <= 0)
            {
                return ValueTask.CompletedTask;
            }

            Refill();
            _tokens -= bytes;
            if (_tokens >= 0)
            {
                return ValueTask.CompletedTask;
            }

            wait = TimeSpan.FromSeconds(-_tokens / rate);
        }

        return new ValueTask(Task.Delay(wait, _time, cancellationToken));
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        double elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        long rate = Rate;
        if (rate > 0)
        {
            _tokens = Math.Min(Burst, _tokens + (elapsed * rate));
        }
        else
        {
            _tokens = 0;
        }
    }
}
