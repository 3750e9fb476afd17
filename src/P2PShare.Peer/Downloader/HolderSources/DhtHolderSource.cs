using P2PShare.Dht;
using P2PShare.Peer.Connection;

namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>
/// Holders found with a get_peers lookup in the DHT (the file's key is the first 20 bytes of its ID). The DHT only
/// stores announcements of whole files (shares and finished downloads), so every holder it returns is complete.
/// It knows one address per holder, the one its announce came from; the handshake proves the listed key.
/// Downloads ask for holders every second while they have room for more; a lookup costs tens of datagrams, so a
/// file's answer is reused for <see cref="ReuseFor"/>.
/// </summary>
internal sealed class DhtHolderSource(Func<DhtNode?> node, TimeProvider time) : IHolderSource
{
    public static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(15);

    private const int MaxRemembered = 64;

    private readonly Dictionary<string, (long At, IReadOnlyList<HolderCandidate> Holders)> _recent = [];

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

        lock (_recent)
        {
            if (_recent.TryGetValue(fileId, out var recent) && time.GetElapsedTime(recent.At) < ReuseFor)
            {
                return recent.Holders;
            }
        }

        var result = await dht.FindHoldersAsync(NodeId.FromHex(fileId), ct);
        IReadOnlyList<HolderCandidate> holders = [.. result.Holders.Select(ToCandidate)];
        if (holders.Count > 0)
        {
            Remember(fileId, holders);
        }

        return holders;
    }

    private void Remember(string fileId, IReadOnlyList<HolderCandidate> holders)
    {
        lock (_recent)
        {
            if (_recent.Count >= MaxRemembered && !_recent.ContainsKey(fileId))
            {
                _recent.Remove(_recent.MinBy(e => e.Value.At).Key);
            }

            _recent[fileId] = (time.GetTimestamp(), holders);
        }
    }

    public static HolderCandidate ToCandidate(Holder holder) => new(
        new PeerContact(holder.PeerIdHex, holder.StaticKey, holder.EndPoint.Address.ToString(), holder.EndPoint.Port, [], AcceptsRelay: false),
        Complete: true,
        VerifiedChunks: 0,
        HolderOrigin.Dht);
}
