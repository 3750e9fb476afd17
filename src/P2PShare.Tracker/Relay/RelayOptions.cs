namespace P2PShare.Tracker.Relay;

/// <summary>The relay's limits; see <see cref="RelayOptionsReader"/> for the flags and environment variables.</summary>
internal sealed record RelayOptions
{
    /// <summary>Tunnels (pending or spliced) open at once on this tracker. Default 1,000.</summary>
    public int MaxTunnels { get; init; } = 1000;

    /// <summary>Tunnels a single peer may be an end of at once. Default 32.</summary>
    public int MaxTunnelsPerPeer { get; init; } = 32;

    /// <summary>Bytes per second through one tunnel (both directions together); 0 = unlimited.</summary>
    public long TunnelRate { get; init; }

    /// <summary>Bytes per second through all tunnels together; 0 = unlimited.</summary>
    public long TotalRate { get; init; }

    /// <summary>A spliced tunnel that moves no byte for this long is closed. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long both ends have to join a new tunnel. Default 15 s.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>WebSocket ping interval on relay sockets; a socket that misses the pong for as long again is closed.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages queued to one control socket; a peer that falls further behind is disconnected.</summary>
    public int ControlQueueCapacity { get; init; } = 64;
}
