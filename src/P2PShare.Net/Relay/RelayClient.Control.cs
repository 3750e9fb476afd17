using System.Net.WebSockets;
using System.Text.Json;
using P2PShare.Core.Protocol.Relay;

namespace P2PShare.Net.Relay;

/// <summary>The control socket: connect, read messages, reconnect with back-off.</summary>
public sealed partial class RelayClient
{
    private async Task RunAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            using (var socket = NewSocket(control: true))
            {
                try
                {
                    await socket.ConnectAsync(RelayUri(null), _options.Invoker, stop).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _control = socket;
                    }

                    await ReceiveAsync(socket, () => failures = 0, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or JsonException or OperationCanceledException or HttpRequestException)
                {
                    // Lost or refused: reconnect after the back-off below.
                }
                finally
                {
                    Disconnected();
                }
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(ReconnectDelay(failures++), _time, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Exponential back-off from the minimum to the maximum delay, each wait a random 50–100% of it.</summary>
    private TimeSpan ReconnectDelay(int failures)
    {
        double full = Math.Min(_options.MaxReconnectDelay.TotalMilliseconds, _options.MinReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 20)));
        return TimeSpan.FromMilliseconds(full * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private async Task ReceiveAsync(ClientWebSocket socket, Action welcomed, CancellationToken stop)
    {
        var buffer = new byte[RelayLimits.MaxControlMessageBytes];
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    throw new IOException("relay control message too long");
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), stop).ConfigureAwait(false);
                length += result.Count;
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", stop).ConfigureAwait(false);
                    return;
                }
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Text && Parse(buffer.AsSpan(0, length)) is { } message)
            {
                Dispatch(message, welcomed);
            }
        }
    }

    private void Dispatch(RelayMessage message, Action welcomed)
    {
        switch (message.Type)
        {
            case RelayMessageTypes.Welcome:
                welcomed();
                lock (_gate)
                {
                    ConnectCount++;
                    _connected.TrySetResult();
                }

                break;
            case RelayMessageTypes.Invite when message.Tunnel is { Length: > 0 } tunnel && message.From is { Length: > 0 } from:
                _invitations.Writer.TryWrite(new RelayInvitation(tunnel, from));
                break;
            case RelayMessageTypes.Punch when message.Id is null && message.From is { Length: > 0 }:
                OfferPunch(message);
                break;
            case RelayMessageTypes.Tunnel or RelayMessageTypes.Error or RelayMessageTypes.Punch when message.Id is long id:
                if (_pending.TryRemove(id, out var waiter))
                {
                    waiter.TrySetResult(message);
                }

                break;
        }

        // Anything else (a tunnel's failure, which its socket also reports; types of later versions) is ignored.
    }

    /// <summary>Sends a request on the control socket and waits for the answer with the same ID.</summary>
    private async Task<RelayMessage> RequestAsync(RelayMessage request, CancellationToken cancellationToken)
    {
        if (_pending.Count >= _options.MaxPendingConnects)
        {
            throw new IOException($"{_options.MaxPendingConnects} relay connects are already waiting for the tracker");
        }

        await WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
        long id = Interlocked.Increment(ref _nextRequestId);
        var answer = new TaskCompletionSource<RelayMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            WebSocket control;
            lock (_gate)
            {
                control = _control ?? throw new IOException("relay control socket is not connected");
            }

            byte[] json = JsonSerializer.SerializeToUtf8Bytes(request with { Id = id }, RelayJsonContext.Default.RelayMessage);
            await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await control.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException ex)
            {
                throw new IOException($"relay control socket failed: {ex.Message}", ex);
            }
            finally
            {
                _sendGate.Release();
            }

            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private void Disconnected()
    {
        bool wasConnected;
        lock (_gate)
        {
            _control = null;
            wasConnected = _connected.Task.IsCompleted;
            if (wasConnected)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (wasConnected)
        {
            ControlLost?.Invoke();
        }

        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiter))
            {
                waiter.TrySetException(new IOException("relay control socket lost before the tracker answered"));
            }
        }
    }

    private static RelayMessage? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, RelayJsonContext.Default.RelayMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
