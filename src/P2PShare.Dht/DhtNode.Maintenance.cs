namespace P2PShare.Dht;

public sealed partial class DhtNode
{
    /// <summary>Refreshes buckets nobody looked into for <see cref="DhtOptions.BucketRefreshInterval"/>.</summary>
    private async Task MaintenanceLoopAsync(CancellationToken cancellation)
    {
        var period = _options.BucketRefreshInterval / 4;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _time, cancellation);
                foreach (int prefixLength in _routing.BucketsToRefresh(_options.BucketRefreshInterval))
                {
                    _routing.Touched(prefixLength);
                    await FindNodeAsync(Id.RandomWithSharedPrefix(prefixLength), cancellation);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
