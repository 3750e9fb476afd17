using System.Buffers;
using System.Net.WebSockets;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.Throttling;

namespace P2PShare.Tracker.Relay;

/// <summary>
/// Forwards binary messages between the two sockets of a tunnel, one pump per direction. A pump receives pieces of
/// at most <see cref="RelayLimits.SplicePieceBytes"/> into two buffers in turn: it receives the next piece while the
/// last one is being sent, and does not start a send before the one before it finished. So each direction holds at
/// most two pieces, and a reader that stops reading stalls the writer instead of growing memory here. The first pump to end (a close, a failure,
/// a text message) or a close request (idle, shutdown) ends the tunnel: both sockets get the same close code.
/// </summary>
internal sealed class TunnelSplice(WebSocket first, WebSocket second, TokenBucket? tunnelRate, TokenBucket? totalRate, TimeProvider time)
{
    private readonly TaskCompletionSource<(int Status, string Reason)> _closeRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastActivity = time.GetTimestamp();

    /// <summary>Called with the size of every forwarded piece.</summary>
    public Action<int>? Forwarded { get; init; }

    /// <summary>Time since a byte last moved in either direction.</summary>
    public TimeSpan IdleFor => time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>Asks the splice to close both ends with this code (idle, shutdown); the first request wins.</summary>
    public void RequestClose(int status, string reason) => _closeRequest.TrySetResult((status, reason));

    public async Task RunAsync()
    {
        using var pumps = new CancellationTokenSource();
        var forward = PumpAsync(first, second, pumps.Token);
        var backward = PumpAsync(second, first, pumps.Token);
        var ended = await Task.WhenAny(forward, backward, _closeRequest.Task);
        var (status, reason) = await ended;
        await Task.WhenAll(
            SocketClosing.CloseOutputAsync(first, status, reason),
            SocketClosing.CloseOutputAsync(second, status, reason));

        // Both ends answer the close frames, which ends the pumps still reading; a silent end is cut off. A socket
        // whose pump already stopped (it sent text) is read until its answer arrives.
        pumps.CancelAfter(SocketClosing.CloseTimeout);
        await Task.WhenAll(AwaitCloseAsync(first, forward), AwaitCloseAsync(second, backward));
        first.Abort();
        second.Abort();
    }

    private static async Task AwaitCloseAsync(WebSocket socket, Task pump)
    {
        await SocketClosing.Quietly(pump);
        if (socket.State == WebSocketState.CloseSent)
        {
            await SocketClosing.DrainUntilClosedAsync(socket);
        }
    }

    private async Task<(int Status, string Reason)> PumpAsync(WebSocket source, WebSocket destination, CancellationToken cancellationToken)
    {
        const int Piece = RelayLimits.SplicePieceBytes;
        byte[] buffers = ArrayPool<byte>.Shared.Rent(2 * Piece);
        Task sending = Task.CompletedTask;
        int next = 0;
        try
        {
            while (true)
            {
                var piece = buffers.AsMemory(next * Piece, Piece);
                var result = await source.ReceiveAsync(piece, cancellationToken);
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return (ForwardableStatus(source.CloseStatus), source.CloseStatusDescription ?? "");
                    case WebSocketMessageType.Text:
                        return (RelayCloseCodes.ProtocolError, "tunnels carry binary messages only");
                }

                Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());
                if (tunnelRate is not null)
                {
                    await tunnelRate.TakeAsync(result.Count, cancellationToken);
                }

                if (totalRate is not null)
                {
                    await totalRate.TakeAsync(result.Count, cancellationToken);
                }

                await sending;
                sending = SendPieceAsync(destination, piece[..result.Count], result.EndOfMessage, cancellationToken);
                next ^= 1;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            return (RelayCloseCodes.PeerLost, "the other end's connection was lost");
        }
        finally
        {
            // The buffers go back to the pool only when no send reads from them any more; a send still pending
            // finishes or fails when the splice closes the sockets.
            _ = sending.ContinueWith(
                send =>
                {
                    _ = send.Exception;
                    ArrayPool<byte>.Shared.Return(buffers);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task SendPieceAsync(WebSocket destination, ReadOnlyMemory<byte> piece, bool endOfMessage, CancellationToken cancellationToken)
    {
        await destination.SendAsync(piece, WebSocketMessageType.Binary, endOfMessage, cancellationToken);
        Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());
        Forwarded?.Invoke(piece.Length);
    }

    /// <summary>A close without a status (1005) is passed on as a normal close.</summary>
    private static int ForwardableStatus(WebSocketCloseStatus? status) =>
        status is null or WebSocketCloseStatus.Empty ? (int)WebSocketCloseStatus.NormalClosure : (int)status;
}
