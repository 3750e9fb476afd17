namespace P2PShare.Net.HolePunch;

/// <summary>
/// NewReno congestion control as RFC 9002 §7 describes it, with a token-bucket pacer at 1.25 × cwnd / srtt
/// (§7.7) so a large window does not leave as one burst.
/// </summary>
internal sealed class NewRenoController(int maxDatagramSize, long maxWindow)
{
    private long _recoveryStartUs = -1;
    private double _tokens;
    private long _tokensAtUs;
    private long _caAccumulator;

    public int MaxDatagramSize { get; set; } = maxDatagramSize;

    public long Window { get; private set; } = 10L * maxDatagramSize;

    public long SlowStartThreshold { get; private set; } = long.MaxValue;

    public long BytesInFlight { get; private set; }

    private long MinimumWindow => 2L * MaxDatagramSize;

    public bool CanSend(int size) => BytesInFlight + size <= Window;

    public void OnSent(int size) => BytesInFlight += size;

    public void OnAcked(int size, long sentUs)
    {
        BytesInFlight = Math.Max(0, BytesInFlight - size);
        if (sentUs <= _recoveryStartUs)
        {
            return;
        }

        if (Window < SlowStartThreshold)
        {
            Window = Math.Min(maxWindow, Window + size);
            return;
        }

        _caAccumulator += size;
        if (_caAccumulator >= Window)
        {
            _caAccumulator -= Window;
            Window = Math.Min(maxWindow, Window + MaxDatagramSize);
        }
    }

    /// <summary>Takes lost packets out of flight; reduces the window once per round trip of losses.</summary>
    public void OnLost(int size, long sentUs, long nowUs)
    {
        BytesInFlight = Math.Max(0, BytesInFlight - size);
        if (sentUs <= _recoveryStartUs)
        {
            return;
        }

        _recoveryStartUs = nowUs;
        SlowStartThreshold = Math.Max(Window / 2, MinimumWindow);
        Window = SlowStartThreshold;
        _caAccumulator = 0;
    }

    /// <summary>A packet that was neither acknowledged nor lost but is no longer tracked (connection end, MTU probe).</summary>
    public void OnDiscarded(int size) => BytesInFlight = Math.Max(0, BytesInFlight - size);

    public void OnPersistentCongestion()
    {
        Window = MinimumWindow;
        _recoveryStartUs = -1;
    }

    /// <summary>Microseconds to wait before a packet of <paramref name="size"/> may leave (0 = now).</summary>
    public long PacingDelayUs(int size, long nowUs, long smoothedRttUs)
    {
        var rate = 1.25 * Window / Math.Max(smoothedRttUs, 1); // bytes per microsecond
        var burst = Math.Max(16.0 * MaxDatagramSize, rate * 2000);
        _tokens = Math.Min(burst, _tokens + (rate * (nowUs - _tokensAtUs)));
        _tokensAtUs = nowUs;
        return _tokens >= size ? 0 : (long)Math.Ceiling((size - _tokens) / rate);
    }

    public void OnPaced(int size) => _tokens -= size;
}
