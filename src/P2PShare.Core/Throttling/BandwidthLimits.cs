namespace P2PShare.Core.Throttling;

/// <summary>The node-wide upload and download buckets every connection shares, whatever its transport.</summary>
public sealed class BandwidthLimits(long uploadBytesPerSecond, long downloadBytesPerSecond, TimeProvider time)
{
    public TokenBucket Upload { get; } = new(uploadBytesPerSecond, time);

    public TokenBucket Download { get; } = new(downloadBytesPerSecond, time);

    public Stream Wrap(Stream transport) => new ThrottledStream(transport, Upload, Download);
}
