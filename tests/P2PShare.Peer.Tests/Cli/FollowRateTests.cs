using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.Cli;

namespace P2PShare.Peer.Tests.Cli;

public sealed class FollowRateTests
{
    [Fact]
    public void Rate_FollowingARunningDownload_CountsOnlyBytesSinceFollowingBegan()
    {
        var time = new FakeTimeProvider();
        var rate = new FollowRate(time);

        rate.Add(500L << 20); // the download already had 500 MiB when following began
        time.Advance(TimeSpan.FromSeconds(2));
        rate.Add((500L << 20) + (4L << 20));

        Assert.Equal(2L << 20, rate.BytesPerSecond, precision: 0);
        Assert.Equal(TimeSpan.FromSeconds(3), rate.Remaining(6L << 20));
    }

    [Fact]
    public void Rate_OlderThanTheWindow_IsForgotten()
    {
        var time = new FakeTimeProvider();
        var rate = new FollowRate(time);
        long bytes = 0;
        rate.Add(bytes);
        for (int i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            bytes += i < 20 ? 10_000_000 : 1_000_000; // fast for 20 s, then slow
            rate.Add(bytes);
        }

        Assert.Equal(1_000_000, rate.BytesPerSecond, precision: 0);
    }

    [Fact]
    public void Rate_BeforeTimeHasPassed_IsUnknown()
    {
        var rate = new FollowRate(new FakeTimeProvider());
        rate.Add(1000);

        Assert.Equal(0, rate.BytesPerSecond);
        Assert.Null(rate.Remaining(1000));
    }
}
