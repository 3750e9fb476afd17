namespace P2PShare.Dht.Lookups;

/// <summary>
/// What a lookup found: the closest nodes that answered (closest first, with the write token each gave), the
/// holders of the key (get_peers lookups), and what it cost.
/// </summary>
public sealed record LookupResult(
    NodeId Target,
    IReadOnlyList<LookupResult.Responder> Closest,
    IReadOnlyList<Holder> Holders,
    int MessagesSent,
    int Rounds)
{
    public sealed record Responder(Contact Contact, ReadOnlyMemory<byte> Token);
}
