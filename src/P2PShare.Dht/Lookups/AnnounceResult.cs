namespace P2PShare.Dht.Lookups;

/// <summary>How many of the closest nodes stored an announcement, and the queries it took (lookup and announces).</summary>
public sealed record AnnounceResult(int StoredAt, int MessagesSent, int Rounds);
