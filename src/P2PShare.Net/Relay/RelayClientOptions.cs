namespace P2PShare.Net.Relay;

/// <summary>How a <see cref="RelayClient"/> reaches its tracker's relay and behaves on it.</summary>
public sealed record RelayClientOptions
{
    /// <summary>The tracker's base address (http or https); the relay is its <c>/relay</c> WebSocket.</summary>
    public required Uri Tracker { get; init; }

    /// <summary>This peer's ID, as registered with the tracker.</summary>
    public required string PeerId { get; init; }

    /// <summary>The peer's current token from registration (it changes when the peer registers again).</summary>
    public required Func<string?> Token { get; init; }

    /// <summary>One of the tracker's API keys when it runs with API_KEYS.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Ping interval on relay sockets; a control socket whose pong is as late again is dropped. Default 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>First wait before reconnecting the control socket; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a connect may take: the tracker's answer plus the other end joining. Default 20 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Invitations waiting to be accepted; more are dropped (the asker then times out). Default 16.</summary>
    public int InvitationQueueCapacity { get; init; } = 16;

    /// <summary>Connect requests waiting for the tracker's answer at once. Default 64.</summary>
    public int MaxPendingConnects { get; init; } = 64;

    /// <summary>Opens the HTTP connections under the WebSockets; null for the default handler.</summary>
    public HttpMessageInvoker? Invoker { get; init; }
}
