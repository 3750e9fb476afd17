using System.Net;
using P2PShare.Peer.Client;

namespace P2PShare.Peer.Node;

/// <summary>The DHT nodes of the peers the tracker lists (their address and <c>dht_port</c>), for joining the DHT.</summary>
internal sealed class TrackerDhtNodes(TrackerClient tracker, string selfPeerId)
{
    /// <summary>A few live nodes are enough to join; the lookup of the node's own ID finds the rest.</summary>
    public const int MaxNodes = 32;

    /// <summary>The nodes, or none while the tracker cannot be reached.</summary>
    public async Task<IReadOnlyList<IPEndPoint>> ListAsync(CancellationToken ct)
    {
        try
        {
            var peers = await tracker.ListPeersAsync(ct);
            return [.. peers.Peers
                .Where(p => p.DhtPort is > 0 and <= ushort.MaxValue && p.PeerId != selfPeerId)
                .Select(p => IPAddress.TryParse(p.Address, out var address) ? new IPEndPoint(address, p.DhtPort) : null)
                .OfType<IPEndPoint>()
                .Take(MaxNodes)];
        }
        catch (TrackerException)
        {
            return [];
        }
    }
}
