using System.Buffers;
using System.IO.Pipelines;

namespace P2PShare.Testing;

/// <summary>A <see cref="Stream"/> that reads from one pipe and writes to another; see <see cref="InMemoryConnection"/>.</summary>
internal sealed class PipeDuplexStream(PipeReader reader, PipeWriter writer) : Stream
{
    private int _writesCompleted;
    private int _disposed;
    private int _reading;
    private int _readerCompleted;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _reading, 1);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled || Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(PipeDuplexStream));
            }

            var available = result.Buffer;
            int count = (int)Math.Min(available.Length, buffer.Length);
            available.Slice(0, count).CopyTo(buffer.Span);
            reader.AdvanceTo(available.GetPosition(count));
            return count;
        }
        finally
        {
            Interlocked.Exchange(ref _reading, 0);
            if (Volatile.Read(ref _disposed) != 0)
            {
                CompleteReader();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_writesCompleted != 0)
        {
            throw new IOException("writing after this side's writes were completed");
        }

        var result = await writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || _disposed != 0)
        {
            throw new ObjectDisposedException(nameof(PipeDuplexStream));
        }

        if (result.IsCompleted)
        {
            throw new IOException("the other end closed the connection");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public void CompleteWrites()
    {
        if (Interlocked.Exchange(ref _writesCompleted, 1) == 0)
        {
            writer.Complete();
        }
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A read or write waiting right now wakes up and fails; the other end then reads end of stream and its
        // writes fail, as after a TCP close.
        // (A pipe reader may not be completed in the middle of a read; a read under way completes it on its way out.)
        reader.CancelPendingRead();
        writer.CancelPendingFlush();
        CompleteWrites();
        if (Volatile.Read(ref _reading) == 0)
        {
            CompleteReader();
        }

        base.Dispose(disposing);
    }

    private void CompleteReader()
    {
        if (Interlocked.Exchange(ref _readerCompleted, 1) == 0)
        {
            reader.Complete();
        }
    }
}
