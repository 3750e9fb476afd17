namespace P2PShare.Net.HolePunch;

/// <summary>Smoothed RTT and variance as RFC 9002 §5 computes them; all values in microseconds.</summary>
internal sealed class RttEstimator
{
    private const long InitialRttUs = 100_000;
    private bool _hasSample;

    public long LatestUs { get; private set; } = InitialRttUs;

    public long SmoothedUs { get; private set; } = InitialRttUs;

    public long VarianceUs { get; private set; } = InitialRttUs / 2;

    public long MinUs { get; private set; } = long.MaxValue;

    public void AddSample(long rttUs, long ackDelayUs, long maxAckDelayUs)
    {
        rttUs = Math.Max(rttUs, 1);
        LatestUs = rttUs;
        MinUs = Math.Min(MinUs, rttUs);
        if (!_hasSample)
        {
            _hasSample = true;
            SmoothedUs = rttUs;
            VarianceUs = rttUs / 2;
            return;
        }

        var adjusted = rttUs;
        var delay = Math.Min(ackDelayUs, maxAckDelayUs);
        if (adjusted >= MinUs + delay)
        {
            adjusted -= delay;
        }

        VarianceUs = ((3 * VarianceUs) + Math.Abs(SmoothedUs - adjusted)) / 4;
        SmoothedUs = ((7 * SmoothedUs) + adjusted) / 8;
    }

    /// <summary>The probe timeout before backoff: srtt + max(4·rttvar, 1 ms) + max_ack_delay.</summary>
    public long ProbeTimeoutUs(long maxAckDelayUs) => SmoothedUs + Math.Max(4 * VarianceUs, 1000) + maxAckDelayUs;

    /// <summary>How long after a later packet was acknowledged an earlier one counts as lost: 9/8 of the larger RTT.</summary>
    public long LossDelayUs => Math.Max(Math.Max(LatestUs, SmoothedUs) * 9 / 8, 1000);
}
