using System.Net.WebSockets;

namespace P2PShare.Tracker.Events;

/// <summary>
/// Pumps one subscription into one WebSocket until the client closes, the hub drops it for being slow, or the
/// tracker stops. Incoming messages are read and discarded (the feed is one-way) so close frames are seen.
/// </summary>
internal sealed class EventStreamSession(WebSocket socket, EventSubscription subscription)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken stopping, CancellationToken aborted)
    {
        // Cancelling a WebSocket send or receive aborts the socket, so only the send side is ever cancelled here:
        // the receive side ends by itself when the client closes or the socket goes away.
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted, subscription.Dropped);
        var sending = SendAsync(stopSending.Token);
        var receiving = ReceiveAsync(aborted);
        if (await Task.WhenAny(sending, receiving) == receiving)
        {
            await stopSending.CancelAsync();
            await Quietly(sending);
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
            await Quietly(receiving);
            return;
        }

        await Quietly(sending);
        if (stopping.IsCancellationRequested && !subscription.IsDropped && !aborted.IsCancellationRequested)
        {
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "tracker shutting down");
            await Quietly(receiving.WaitAsync(CloseTimeout, CancellationToken.None));
        }

        socket.Abort();
        await Quietly(receiving);
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    /// <summary>Awaits a pump that ended because the client went away or the session was cancelled.</summary>
    private static async Task Quietly(Task pump)
    {
        try
        {
            await pump;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or TimeoutException)
        {
            // The session is over either way; the caller decides how to close.
        }
    }
}
