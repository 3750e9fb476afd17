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

    /// <summary>A close reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5: 125 minus the status code).</summary>
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];
}
