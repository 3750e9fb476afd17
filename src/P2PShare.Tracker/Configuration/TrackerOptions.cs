namespace P2PShare.Tracker.Configuration;

/// <summary>Everything the tracker can be configured with; see <see cref="TrackerOptionsReader"/> for the sources.</summary>
internal sealed record TrackerOptions
{
    /// <summary>Where to listen. Default <c>:8080</c> (every interface, port 8080).</summary>
    public ListenAddress Listen { get; init; } = ListenAddress.Parse(":8080")!;

    /// <summary>Keys accepted on /api/*, /ws and /relay. Default empty: the tracker is open.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>How often peers must send heartbeats. Default 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A peer silent for this many heartbeat intervals is removed. Default 3.</summary>
    public int MissedHeartbeatsBeforeExpiry { get; init; } = 3;

    /// <summary>Largest request body accepted. Default 16 MiB (a manifest for a file of about 60 GiB).</summary>
    public long MaxBodyBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Registrations allowed per client IP per <see cref="RegisterRateWindow"/>; 0 = unlimited. Default 60.</summary>
    public int RegisterRateLimit { get; init; } = 60;

    /// <summary>The window of <see cref="RegisterRateLimit"/>. Default 1 minute.</summary>
    public TimeSpan RegisterRateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a stats event goes to /ws clients. Default 5 s.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Events buffered per /ws client; a client that falls further behind is dropped. Default 256.</summary>
    public int EventQueueCapacity { get; init; } = 256;

    /// <summary>How long a graceful shutdown may take before connections are cut. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    // Relay (/relay): limits and timeouts, read by Relay/RelayOptionsReader.
    public Relay.RelayOptions Relay { get; init; } = new();

    /// <summary>A peer whose last sign of life is older than this is no longer live.</summary>
    public TimeSpan ExpiryAfter => HeartbeatInterval * MissedHeartbeatsBeforeExpiry;
}
