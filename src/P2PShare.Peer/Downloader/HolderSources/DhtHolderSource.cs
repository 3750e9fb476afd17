using P2PShare.Dht;
using P2PShare.Peer.Connection;

namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>
/// Holders found with a get_peers lookup in the DHT (the file's key is the first 20 bytes of its ID). The DHT only
/// stores announcements of whole files (shares and finished downloads), so every holder it returns is complete.
/// It knows one address per holder, the one its announce came from; the handshake proves the listed key.
/// </summary>
internal sealed class DhtHolderSource(Func<DhtNode?> node) : IHolderSource
{
    public HolderOrigin Origin => HolderOrigin.Dht;

    public async Task<IReadOnlyList<HolderCandidate>> FindAsync(string fileId, CancellationToken ct)
    {
        if (node() is not { } dht)
        {
            throw new HolderSourceException("DHT: off");
        }

        if (dht.RoutingTable.Count == 0)
        {
            throw new HolderSourceException("DHT: no contacts yet");
        }

        var result = await dht.FindHoldersAsync(NodeId.FromHex(fileId), ct);
        return [.. result.Holders.Select(ToCandidate)];
    }

    public static HolderCandidate ToCandidate(Holder holder) => new(
        new PeerContact(holder.PeerIdHex, holder.StaticKey, holder.EndPoint.Address.ToString(), holder.EndPoint.Port, [], AcceptsRelay: false),
        Complete: true,
        VerifiedChunks: 0,
        HolderOrigin.Dht);
}
