using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>A /ws client that reads events one at a time; connecting waits for the stats event sent on connect.</summary>
internal sealed class EventFeed : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ArrayBufferWriter<byte> _message = new(64 * 1024);

    private EventFeed(ClientWebSocket socket) => _socket = socket;

    public WebSocket Socket => _socket;

    public static async Task<(EventFeed Feed, TrackerEvent Hello)> ConnectAsync(TrackerHost host, CancellationToken cancellationToken, string? apiKey = null)
    {
        var socket = new ClientWebSocket();
        if (apiKey is not null)
        {
            socket.Options.SetRequestHeader(TrackerHeaders.ApiKey, apiKey);
        }

        await socket.ConnectAsync(host.WebSocketUri(), cancellationToken);
        var feed = new EventFeed(socket);
        var hello = await feed.NextAsync(cancellationToken);
        Assert.Equal(TrackerEventTypes.Stats, hello.Type);
        return (feed, hello);
    }

    public async Task<TrackerEvent> NextAsync(CancellationToken cancellationToken)
    {
        _message.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_message.GetMemory(16 * 1024), cancellationToken);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            _message.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize(_message.WrittenSpan, TrackerApiJsonContext.Default.TrackerEvent)!;
            }
        }
    }

    /// <summary>Skips events until one of <paramref name="type"/> arrives.</summary>
    public async Task<T> NextOfTypeAsync<T>(string type, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> data, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await NextAsync(cancellationToken);
            if (next.Type == type)
            {
                return next.Data.Deserialize(data)!;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server went first; nothing left to close.
            }
        }

        _socket.Dispose();
    }
}
