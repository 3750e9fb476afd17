using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Throttling;

namespace P2PShare.Core.Tests.Throttling;

public sealed class TokenBucketTests
{
    [Fact]
    public void TakeAsync_Unlimited_CompletesAtOnce()
    {
        var bucket = new TokenBucket(0, new FakeTimeProvider());

        Assert.True(bucket.TakeAsync(10_000_000, TestContext.Current.CancellationToken).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task TakeAsync_OverTheRate_WaitsUntilTheTokensAccrue()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(1_000_000, time);

        var take = bucket.TakeAsync(500_000, TestContext.Current.CancellationToken).AsTask();
        Assert.False(take.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(take.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(2));

        await take.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void TakeAsync_ThreeCallersForTenSeconds_NeverGrantMoreThanRatePlusOneBurst()
    {
        const int slice = 16 * 1024;
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(2_000_000, time);
        var pending = new Task?[3];
        long granted = 0;
        for (int step = 0; step < 1000; step++)
        {
            for (int caller = 0; caller < pending.Length; caller++)
            {
                if (pending[caller] is { IsCompletedSuccessfully: false })
                {
                    continue;
                }

                if (pending[caller] is not null)
                {
                    granted += slice;
                }

                pending[caller] = bucket.TakeAsync(slice, CancellationToken.None).AsTask();
            }

            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        granted += pending.Count(t => t!.IsCompletedSuccessfully) * slice;
        Assert.InRange(granted, 2_000_000 * 9, (2_000_000 * 10) + (long)bucket.Burst);
    }

    [Fact]
    public async Task SetRate_RaisedWhileLimited_LaterCallsUseTheNewRate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(1_000, time);
        bucket.SetRate(1_000_000);

        var take = bucket.TakeAsync(100_000, TestContext.Current.CancellationToken).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(101));

        await take.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(1_000_000, bucket.Rate);
    }

    [Fact]
    public async Task TakeAsync_Cancelled_ThrowsOperationCanceled()
    {
        var bucket = new TokenBucket(1, new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var take = bucket.TakeAsync(1_000, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take);
    }
}
