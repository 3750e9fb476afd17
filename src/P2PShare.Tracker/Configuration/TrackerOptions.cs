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

    /// <summary>Steady registrations allowed per client IP per <see cref="RegisterRateWindow"/>; 0 = unlimited. Default 60.</summary>
    public int RegisterRateLimit { get; init; } = 60;

    /// <summary>The window of <see cref="RegisterRateLimit"/>. Default 1 minute.</summary>
    public TimeSpan RegisterRateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Registrations one client IP may make at once before the steady rate applies (the token bucket's size).
    /// Default 1000: a whole office behind one NAT re-registering after a tracker restart.
    /// </summary>
    public int RegisterBurst { get; init; } = 1000;

    /// <summary>The tracker's static X25519 key file, created with mode 0600 on first start. Default <c>tracker.key</c>.</summary>
    public string KeyFile { get; init; } = "tracker.key";

    /// <summary>How long a registration challenge stays valid. Default 60 s.</summary>
    public TimeSpan ChallengeLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Challenges kept at once, over all clients; past this the oldest is dropped. Default 10000.</summary>
    public int MaxPendingChallenges { get; init; } = 10_000;

    /// <summary>PEM certificate for HTTPS; with <see cref="TlsKeyFile"/> the tracker serves HTTPS only.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Addresses whose X-Forwarded-For / X-Forwarded-Proto are believed. Default none.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Files one peer may hold (announce) at once. Default 10000.</summary>
    public int MaxFilesPerPeer { get; init; } = 10_000;

    /// <summary>Files in the catalogue at once. Default 100000.</summary>
    public int MaxFiles { get; init; } = 100_000;

    /// <summary>
    /// Manifest bytes kept in the catalogue, counted as <see cref="Models.ManifestCost"/> does (64 per chunk hash
    /// plus the name). Default 256 MiB.
    /// </summary>
    public long MaxManifestBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How often a stats event goes to /ws clients. Default 5 s.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Events buffered per /ws client; a client that falls further behind is dropped. Default 256.</summary>
    public int EventQueueCapacity { get; init; } = 256;

    /// <summary>How long a graceful shutdown may take before connections are cut. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The UDP rendezvous for hole punching. Default: the listen address's port number over UDP (and the next one).</summary>
    public Rendezvous.RendezvousOptions Rendezvous { get; init; } = new();

    // Relay (/relay): limits and timeouts, read by Relay/RelayOptionsReader.
    public Relay.RelayOptions Relay { get; init; } = new();

    /// <summary>A peer whose last sign of life is older than this is no longer live.</summary>
    public TimeSpan ExpiryAfter => HeartbeatInterval * MissedHeartbeatsBeforeExpiry;
}
