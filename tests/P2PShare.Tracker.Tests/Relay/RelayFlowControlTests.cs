using System.Security.Cryptography;
using P2PShare.Tracker.Tests.Support;
using static P2PShare.Tracker.Tests.Relay.RelayTunnelTests;

namespace P2PShare.Tracker.Tests.Relay;

public sealed class RelayFlowControlTests
{
    private const int Total = 48 * 1024 * 1024;
    private const int Piece = 64 * 1024;

    [Fact]
    public async Task ReaderThatStopsReading_BlocksTheWriter_ThenEverythingArrivesOnceItReads()
    {
        await using var host = await TrackerHost.StartAsync();
        using var invoker = RelayPeer.SmallBuffers(64 * 1024);
        await using var writer = await RelayPeer.StartAsync(host, invoker: invoker);
        await using var reader = await RelayPeer.StartAsync(host, invoker: invoker);
        var (mine, theirs) = await writer.TunnelToAsync(reader, host.Token);
        await using var _ = mine;
        await using var __ = theirs;
        byte[] data = RandomNumberGenerator.GetBytes(Total);
        long written = 0;

        var writing = Task.Run(
            async () =>
            {
                for (int offset = 0; offset < Total; offset += Piece)
                {
                    await mine.Stream.WriteAsync(data.AsMemory(offset, Piece), host.Token);
                    Interlocked.Add(ref written, Piece);
                }
            },
            host.Token);
        long stalledAt = await WaitForStallAsync(() => Interlocked.Read(ref written), writing, host.Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"writer stalled after {stalledAt / 1024} KiB of {Total / 1024} KiB");

        // Kernel socket buffers on the way (up to 32 MiB of receive buffer on this kernel) hold some; the relay
        // holds one 64 KiB piece per direction. Without flow control the whole 48 MiB would be taken.
        Assert.False(writing.IsCompleted, "the writer finished although nobody read");
        Assert.True(stalledAt < Total / 2, $"the writer got {stalledAt} bytes in before it stalled");
        Assert.True(host.Service<Tracker.Metrics.TrackerMetrics>().RelayBytesTotal <= stalledAt);

        byte[] received = await ReadExactlyAsync(theirs.Stream, Total, host.Token);
        await writing;
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
    }

    /// <summary>Polls the progress until it stays the same for a second (or the writer is done); returns it.</summary>
    private static async Task<long> WaitForStallAsync(Func<long> progress, Task writer, CancellationToken cancellationToken)
    {
        long last = -1;
        int unchanged = 0;
        while (unchanged < 10 && !writer.IsCompleted)
        {
            await Task.Delay(100, cancellationToken);
            long now = progress();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }

        return last;
    }
}
