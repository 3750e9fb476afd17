namespace P2PShare.Core.Throttling;

/// <summary>
/// Limits a connection's bytes with shared buckets: writes are cut into slices that each wait for their tokens,
/// and reads pay for what they received before the next read, so TCP's own flow control slows the sender.
/// With unlimited buckets it only passes calls through.
/// </summary>
public sealed class ThrottledStream(Stream inner, TokenBucket upload, TokenBucket download) : Stream
{
    /// <summary>Largest write that waits for its tokens in one piece; small enough for fair sharing between connections.</summary>
    public const int SliceSize = 64 * 1024;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!download.IsUnlimited && buffer.Length > SliceSize)
        {
            buffer = buffer[..SliceSize];
        }

        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
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
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!buffer.IsEmpty)
        {
            var slice = buffer[..Math.Min(SliceSize, buffer.Length)];
            await upload.TakeAsync(slice.Length, cancellationToken).ConfigureAwait(false);
            await inner.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            buffer = buffer[slice.Length..];
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
