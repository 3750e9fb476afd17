using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Throttling;

namespace P2PShare.Core.Tests.Throttling;

public sealed class ThrottledStreamTests
{
    [Fact]
    public async Task WriteAsync_LimitedUpload_NeverAheadOfTheClockAndFinishes()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var limits = new BandwidthLimits(100_000, 0, time);
        var sink = new MemoryStream();
        await using var throttled = limits.Wrap(sink);

        var write = throttled.WriteAsync(new byte[300_000], ct).AsTask();
        for (int step = 1; step <= 2000 && !write.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
            long allowed = (100_000L * step / 100) + (long)limits.Upload.Burst + ThrottledStream.SliceFor(100_000);
            Assert.True(sink.Length <= allowed, $"{sink.Length} bytes written after {step * 10} ms of a 100 KB/s limit");
        }

        await write.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(300_000, sink.Length);
    }

    [Fact]
    public async Task ReadAsync_LimitedDownload_ReturnsOnlyOnceTheBytesArePaidFor()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var limits = new BandwidthLimits(0, 50_000, time);
        await using var throttled = limits.Wrap(new MemoryStream(new byte[200_000]));
        var buffer = new byte[1 << 20];

        var read = throttled.ReadAsync(buffer, ct).AsTask();
        int steps = 0;
        while (!read.IsCompleted && steps < 1000)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            steps++;
            await Task.Yield();
        }

        int slice = ThrottledStream.SliceFor(50_000);
        Assert.Equal(slice, await read.WaitAsync(TimeSpan.FromSeconds(10), ct));
        double paidSeconds = (slice - limits.Download.Burst) / 50_000;
        Assert.True(steps * 0.010 >= paidSeconds, $"a 64 KiB read returned after {steps * 10} ms of a 50 KB/s limit");
    }

    [Theory]
    [InlineData(50_000, ThrottledStream.MinSliceSize)]
    [InlineData(10_000_000, 200_000)]
    [InlineData(20_000_000, 400_000)]
    [InlineData(1_000_000_000, ThrottledStream.MaxSliceSize)]
    public void SliceFor_TwentyMillisecondsOfTheRateWithinBounds(long rate, int expected) =>
        Assert.Equal(expected, ThrottledStream.SliceFor(rate));

    [Fact]
    public async Task WriteAsync_FastLimit_SendsAChunkInOneSlice()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var limits = new BandwidthLimits(20_000_000, 0, time);
        var sink = new WriteCountingStream();
        await using var throttled = limits.Wrap(sink);

        var write = throttled.WriteAsync(new byte[300_000], ct).AsTask();
        for (int step = 0; step < 100 && !write.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }

        await write.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal([300_000], sink.Writes);
    }

    [Fact]
    public async Task Streams_Unlimited_PassThroughWhole()
    {
        var ct = TestContext.Current.CancellationToken;
        var limits = new BandwidthLimits(0, 0, new FakeTimeProvider());
        var sink = new MemoryStream();
        await using var throttled = limits.Wrap(sink);

        await throttled.WriteAsync(new byte[1_000_000], ct);

        Assert.Equal(1_000_000, sink.Length);
    }
}

/// <summary>A memory sink that records the size of every write it receives.</summary>
internal sealed class WriteCountingStream : MemoryStream
{
    public List<int> Writes { get; } = [];

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Writes.Add(buffer.Length);
        return base.WriteAsync(buffer, cancellationToken);
    }
}
