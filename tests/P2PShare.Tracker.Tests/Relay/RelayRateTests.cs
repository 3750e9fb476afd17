using P2PShare.Tracker.Tests.Support;
using static P2PShare.Tracker.Tests.Relay.RelayTunnelTests;

namespace P2PShare.Tracker.Tests.Relay;

public sealed class RelayRateTests
{
    [Fact]
    public async Task TunnelRate_HoldsBytesBackUntilTheClockAllowsThem()
    {
        const int Rate = 64 * 1024;
        await using var host = await TrackerHost.StartAsync(o => o with { Relay = o.Relay with { TunnelRate = Rate } });
        await using var a = await RelayPeer.StartAsync(host);
        await using var b = await RelayPeer.StartAsync(host);
        var (mine, theirs) = await a.TunnelToAsync(b, host.Token);
        await using var _ = mine;
        await using var __ = theirs;
        byte[] data = RepeatedMarker(4 * Rate);
        long received = 0;
        var reading = Task.Run(
            async () =>
            {
                var buffer = new byte[data.Length];
                int total = 0;
                while (total < data.Length)
                {
                    int read = await theirs.Stream.ReadAsync(buffer.AsMemory(total), host.Token);
                    Assert.NotEqual(0, read);
                    total += read;
                    Interlocked.Exchange(ref received, total);
                }

                return buffer;
            },
            host.Token);

        await mine.Stream.WriteAsync(data, host.Token);
        await Task.Delay(500, host.Token);

        // The fake clock has not moved, so the bucket has not let the first 64 KiB piece through.
        Assert.Equal(0, Interlocked.Read(ref received));
        while (!reading.IsCompleted)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(reading, Task.Delay(50, host.Token));
        }

        Assert.Equal(data, await reading);
    }
}
