namespace P2PShare.Dht;

/// <summary>A snapshot of a DHT node for status views.</summary>
public sealed record DhtStatus(
    string NodeId,
    int Port,
    int RoutingTableSize,
    int GoodNodes,
    long Lookups,
    int StoredKeys,
    long MessagesSent,
    long MessagesReceived,
    long DatagramsDropped);
