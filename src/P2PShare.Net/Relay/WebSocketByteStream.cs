using System.Net.WebSockets;

namespace P2PShare.Net.Relay;

/// <summary>
/// A byte stream over the binary messages of a WebSocket: message boundaries mean nothing, a normal close is the
/// end of the stream, any other close or failure is an <see cref="IOException"/> naming the close code. One
/// reader and one writer may use it at the same time. Disposing sends a normal close.
/// </summary>
public sealed class WebSocketByteStream(WebSocket socket) : Stream
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);
    private bool _ended;
    private int _disposed;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _ended)
        {
            return 0;
        }

        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        _ended = true;
                        if (socket.CloseStatus is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.Empty or null)
                        {
                            return 0;
                        }

                        throw new IOException($"relay tunnel closed: {(int)socket.CloseStatus} {socket.CloseStatusDescription}");
                    case WebSocketMessageType.Text:
                        throw new IOException("relay tunnel sent a text message inside the stream");
                }

                // An empty binary message carries nothing; returning 0 would read as the end of the stream.
                if (result.Count > 0)
                {
                    return result.Count;
                }
            }
        }
        catch (WebSocketException ex)
        {
            throw new IOException($"relay tunnel failed: {ex.Message}", ex);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await socket.SendAsync(buffer, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw new IOException($"relay tunnel failed: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex) when (socket.State is not WebSocketState.Open and not WebSocketState.CloseReceived)
        {
            throw new IOException($"relay tunnel is {socket.State}", ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException)
            {
                // Closing is best effort; the socket is disposed below either way.
            }
        }

        socket.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            socket.Abort();
            socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
