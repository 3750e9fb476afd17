namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>
/// Counts of holders the sources returned, node-wide, for <c>peer status</c>: how many distinct holder entries all
/// lookups found, how many of them the DHT listed, and how many only the DHT listed.
/// </summary>
internal sealed class HolderSourceStats
{
    private long _found;
    private long _throughDht;
    private long _onlyDht;

    public long Found => Interlocked.Read(ref _found);

    public long ThroughDht => Interlocked.Read(ref _throughDht);

    public long OnlyThroughDht => Interlocked.Read(ref _onlyDht);

    public void Record(IReadOnlyList<HolderCandidate> merged)
    {
        Interlocked.Add(ref _found, merged.Count);
        Interlocked.Add(ref _throughDht, merged.Count(h => h.Origin.HasFlag(HolderOrigin.Dht)));
        Interlocked.Add(ref _onlyDht, merged.Count(h => h.Origin == HolderOrigin.Dht));
    }
}
