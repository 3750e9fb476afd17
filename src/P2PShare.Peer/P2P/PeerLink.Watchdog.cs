using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Peer.P2P;

/// <summary>
/// Keep-alive and the two timeouts of a link: a remote that sends nothing (idle), and a remote that stops reading
/// while we have something to write (write stall). A peer that will not read is disconnected, which releases every
/// buffer queued for it, instead of our replies piling up behind a blocked socket.
/// </summary>
internal sealed partial class PeerLink
{
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);

    /// <summary>A write that moves no byte to the socket for this long closes the link.</summary>
    public static readonly TimeSpan WriteStallTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan WatchdogInterval = TimeSpan.FromSeconds(5);

    private int _writesInProgress;
    private long _lastWriteProgressTicks;
    private long _lastBytesUp;

    private void WriteStarted()
    {
        if (Interlocked.Increment(ref _writesInProgress) == 1)
        {
            // Nothing was waiting to be written until now: the stall clock starts here, not at the last write.
            Interlocked.Exchange(ref _lastWriteProgressTicks, _time.GetTimestamp());
        }
    }

    private async Task WatchdogLoopAsync(CancellationToken ct)
    {
        try
        {
            long lastKeepAlive = _time.GetTimestamp();
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(WatchdogInterval, _time, ct);
                if (_time.GetElapsedTime(Interlocked.Read(ref _lastReadTicks)) > IdleTimeout)
                {
                    Close("idle timeout");
                    return;
                }

                if (IsWriteStalled())
                {
                    Close($"remote stopped reading: no byte written for {WriteStallTimeout.TotalSeconds:0} s");
                    return;
                }

                if (_time.GetElapsedTime(lastKeepAlive) >= KeepAliveInterval)
                {
                    lastKeepAlive = _time.GetTimestamp();
                    _ = SendAsync(KeepAlive.Instance, ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>True when a write has been waiting for longer than <see cref="WriteStallTimeout"/> with no byte leaving.</summary>
    private bool IsWriteStalled()
    {
        long bytesUp = Stats.BytesUp;
        if (bytesUp != _lastBytesUp || Volatile.Read(ref _writesInProgress) == 0)
        {
            _lastBytesUp = bytesUp;
            Interlocked.Exchange(ref _lastWriteProgressTicks, _time.GetTimestamp());
            return false;
        }

        return _time.GetElapsedTime(Interlocked.Read(ref _lastWriteProgressTicks)) > WriteStallTimeout;
    }
}
