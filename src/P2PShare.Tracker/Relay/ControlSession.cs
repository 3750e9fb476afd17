using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using P2PShare.Core.Protocol.Relay;

namespace P2PShare.Tracker.Relay;

/// <summary>
/// One peer's relay control socket: reads its requests and hands them to the hub, and sends it answers and
/// invitations from a bounded queue. Its own answers wait for room in the queue; an invitation that finds the queue
/// full disconnects the peer as too slow. A peer that sends garbage is disconnected with a close code; the hub may
/// also close a session (replaced by a newer one, tracker stopping).
/// </summary>
internal sealed class ControlSession(string peerId, WebSocket socket, int queueCapacity)
{
    private readonly Channel<RelayMessage> _outbox = Channel.CreateBounded<RelayMessage>(
        new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _closed = new();
    private (int Status, string Reason) _closeReason = ((int)WebSocketCloseStatus.NormalClosure, "bye");

    public string PeerId { get; } = peerId;

    /// <summary>Queues a message from elsewhere (an invitation); a peer whose queue is full is closed as too slow and false is returned.</summary>
    public bool TrySend(RelayMessage message)
    {
        if (_outbox.Writer.TryWrite(message))
        {
            return true;
        }

        Close(RelayCloseCodes.TooSlow, "control socket not read: too many unanswered messages");
        return false;
    }

    /// <summary>Ends the session with this close code (the first reason given wins).</summary>
    public void Close(int status, string reason)
    {
        lock (_closed)
        {
            if (_closed.IsCancellationRequested)
            {
                return;
            }

            _closeReason = (status, reason);
            _closed.Cancel();
        }
    }

    /// <summary>Runs until the peer closes, breaks the protocol, is closed by the hub, or the tracker stops.</summary>
    public async Task RunAsync(Func<ControlSession, RelayMessage, RelayMessage?> handle, CancellationToken stopping)
    {
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closed.Token);
        var sending = SendAsync(stopSending.Token);
        var receiving = ReceiveAsync(handle);
        if (await Task.WhenAny(sending, receiving) == receiving)
        {
            // The peer closed, or broke the protocol (the receive loop set the reason).
            Close((int)WebSocketCloseStatus.NormalClosure, "bye");
        }
        else if (stopping.IsCancellationRequested)
        {
            Close((int)WebSocketCloseStatus.EndpointUnavailable, "tracker shutting down");
        }

        await stopSending.CancelAsync();
        await SocketClosing.Quietly(sending);
        var (status, reason) = _closeReason;
        await SocketClosing.CloseOutputAsync(socket, status, reason);
        if (receiving.IsCompleted)
        {
            // The receive loop stopped on bad input: read on until the peer answers the close.
            await SocketClosing.DrainUntilClosedAsync(socket);
        }
        else
        {
            await SocketClosing.Quietly(receiving.WaitAsync(SocketClosing.CloseTimeout, CancellationToken.None));
        }

        socket.Abort();
        await SocketClosing.Quietly(receiving);
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync(cancellationToken))
        {
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(message, RelayJsonContext.Default.RelayMessage);
            await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }

    private async Task ReceiveAsync(Func<ControlSession, RelayMessage, RelayMessage?> handle)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(RelayLimits.MaxControlMessageBytes + 1);
        try
        {
            while (true)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length, RelayLimits.MaxControlMessageBytes + 1 - length), CancellationToken.None);
                    length += result.Count;
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (length > RelayLimits.MaxControlMessageBytes)
                    {
                        Close((int)WebSocketCloseStatus.MessageTooBig, $"control messages are at most {RelayLimits.MaxControlMessageBytes} bytes");
                        return;
                    }
                }
                while (!result.EndOfMessage);

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    Close(RelayCloseCodes.ProtocolError, "control messages are JSON text, not binary");
                    return;
                }

                if (!TryParse(buffer.AsSpan(0, length), out var message))
                {
                    Close(RelayCloseCodes.ProtocolError, "control message is not a JSON object with a type");
                    return;
                }

                // Answers wait for room in the queue, so a peer that sends requests faster than it reads the
                // answers is slowed down to its own reading speed rather than buffered for.
                if (handle(this, message) is { } answer && !await TryAnswerAsync(answer))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> TryAnswerAsync(RelayMessage answer)
    {
        try
        {
            await _outbox.Writer.WriteAsync(answer, _closed.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> json, out RelayMessage message)
    {
        message = null!;
        try
        {
            message = JsonSerializer.Deserialize(json, RelayJsonContext.Default.RelayMessage)!;
            return message is { Type: not null };
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
