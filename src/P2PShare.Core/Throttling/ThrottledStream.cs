using P2PShare.Core.Streams;

namespace P2PShare.Core.Throttling;

/// <summary>
/// Limits a connection's bytes with shared buckets: writes are cut into slices that each wait for their tokens,
/// and reads pay for what they received before the next read, so TCP's own flow control slows the sender.
/// With unlimited buckets it only passes calls through.
/// </summary>
public sealed class ThrottledStream(Stream inner, TokenBucket upload, TokenBucket download) : DelegatingStream(inner)
{
    /// <summary>The smallest slice: what low rates wait for in one piece.</summary>
    public const int MinSliceSize = 64 * 1024;

    /// <summary>The largest slice: a whole 256 KiB chunk and its records at the rates a LAN or fast uplink allows.</summary>
    public const int MaxSliceSize = 512 * 1024;

    /// <summary>
    /// The most bytes that wait for their tokens in one piece at <paramref name="bytesPerSecond"/>: 20 ms worth of the
    /// rate, within [<see cref="MinSliceSize"/>, <see cref="MaxSliceSize"/>]. Connections take turns at that grain,
    /// and each slice costs a timer wait and a wakeup, so fast limits use bigger slices.
    /// </summary>
    public static int SliceFor(long bytesPerSecond) => (int)Math.Clamp(bytesPerSecond / 50, MinSliceSize, MaxSliceSize);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!download.IsUnlimited)
        {
            int slice = SliceFor(download.Rate);
            if (buffer.Length > slice)
            {
                buffer = buffer[..slice];
            }
        }

        int read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0)
        {
            await download.TakeAsync(read, cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (upload.IsUnlimited)
        {
            await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!buffer.IsEmpty)
        {
            var slice = buffer[..Math.Min(SliceFor(upload.Rate), buffer.Length)];
            await upload.TakeAsync(slice.Length, cancellationToken).ConfigureAwait(false);
            await Inner.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            buffer = buffer[slice.Length..];
        }
    }
}
