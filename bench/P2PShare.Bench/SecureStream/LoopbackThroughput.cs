using System.Diagnostics;

namespace P2PShare.Bench.SecureStream;

/// <summary>Moves a number of bytes one way between two streams on 127.0.0.1 and times it.</summary>
internal static class LoopbackThroughput
{
    public const int BufferSize = 256 * 1024;

    /// <summary>Writes <paramref name="bytes"/> from <paramref name="sender"/> in 256 KiB writes while the receiver
    /// reads with a 256 KiB buffer; returns the seconds until the receiver has everything.</summary>
    public static async Task<double> TransferAsync(Stream sender, Stream receiver, long bytes, CancellationToken cancellationToken)
    {
        var source = new byte[BufferSize];
        Random.Shared.NextBytes(source);
        var stopwatch = Stopwatch.StartNew();
        var send = Task.Run(
            async () =>
            {
                for (long sent = 0; sent < bytes; sent += BufferSize)
                {
                    await sender.WriteAsync(source.AsMemory(0, (int)Math.Min(BufferSize, bytes - sent)), cancellationToken);
                }
            },
            cancellationToken);
        var sink = new byte[BufferSize];
        long received = 0;
        while (received < bytes)
        {
            int read = await receiver.ReadAsync(sink, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"stream ended after {received} of {bytes} bytes");
            }

            received += read;
        }

        await send;
        return stopwatch.Elapsed.TotalSeconds;
    }
}
