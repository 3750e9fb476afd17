namespace P2PShare.Dht;

/// <summary>Tunables of a DHT node. The defaults are the production values; tests shorten the timeouts.</summary>
public sealed record DhtOptions
{
    /// <summary>Kademlia k: contacts per bucket, closest nodes a lookup converges on, nodes an announce stores at.</summary>
    public int K { get; init; } = 20;

    /// <summary>Kademlia α: queries a lookup keeps in flight.</summary>
    public int Alpha { get; init; } = 3;

    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A bucket nobody looked into for this long is refreshed with a lookup of a random ID in its range.</summary>
    public TimeSpan BucketRefreshInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an announcement is kept; holders re-announce before it runs out.</summary>
    public TimeSpan HolderLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Write tokens are valid for between one and two of these.</summary>
    public TimeSpan TokenRotation { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Queries answered per second from one source address; the rest are dropped.</summary>
    public int QueriesPerSecondPerSource { get; init; } = 50;

    /// <summary>Queries answered per second over all sources.</summary>
    public int QueriesPerSecond { get; init; } = 2000;

    /// <summary>Keys whose holders this node stores, and holders kept per key.</summary>
    public int MaxStoredKeys { get; init; } = 4096;

    public int MaxHoldersPerKey { get; init; } = 64;

    /// <summary>Queries of this node waiting for replies at once.</summary>
    public int MaxPendingQueries { get; init; } = 1024;

    /// <summary>Queries one lookup may send before it gives up.</summary>
    public int MaxQueriesPerLookup { get; init; } = 150;
}
