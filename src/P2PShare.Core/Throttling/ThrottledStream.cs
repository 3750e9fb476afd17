using P2PShare.Core.Streams;

namespace P2PShare.Core.Throttling;

/// <summary>
/// Limits a connection's bytes with shared buckets: writes are cut into slices that each wait for their tokens,
/// and reads pay for what they received before the next read, so TCP's own flow control slows the sender.
/// With unlimited buckets it only passes calls through.
/// </summary>
public sealed class ThrottledStream(Stream inner, TokenBucket upload, TokenBucket download) : DelegatingStream(inner)
{
    /// <summary>Largest write that waits for its tokens in one piece; small enough for fair sharing between connections.</summary>
    public const int SliceSize = 64 * 1024;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!download.IsUnlimited && buffer.Length > SliceSize)
        {
            buffer = buffer[..SliceSize];
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
            var slice = buffer[..Math.Min(SliceSize, buffer.Length)];
            await upload.TakeAsync(slice.Length, cancellationToken).ConfigureAwait(false);
            await Inner.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            buffer = buffer[slice.Length..];
        }
    }
}
