using System.Net.WebSockets;

namespace P2PShare.Tracker.Relay;

/// <summary>Closing relay sockets: a close frame with a bounded wait, and an abort when even that fails.</summary>
internal static class SocketClosing
{
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Sends a close frame (if the socket can still send one) within <see cref="CloseTimeout"/>.</summary>
    public static async Task CloseOutputAsync(WebSocket socket, int status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)status, Truncate(reason), timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or InvalidOperationException)
        {
            socket.Abort();
        }
    }

    /// <summary>Awaits a pump that ended because its socket went away or the session was cancelled.</summary>
    public static async Task Quietly(Task pump)
    {
        try
        {
            await pump;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or TimeoutException)
        {
            // The socket is finished either way; the caller decides how to close.
        }
    }

    /// <summary>
    /// Reads (and drops) whatever a socket that was sent a close still sends until its close arrives, within the close
    /// timeout, so the close frame is read by the other side before the connection goes (an abort right after it could
    /// reset the connection with the frame still unread).
    /// </summary>
    public static async Task DrainUntilClosedAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(SocketClosing.CloseTimeout);
        var buffer = new byte[256];
        try
        {
            while (socket.State is WebSocketState.CloseSent or WebSocketState.Open)
            {
                if ((await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token)).MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    /// <summary>A close reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5: 125 minus the status code).</summary>
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];
}
