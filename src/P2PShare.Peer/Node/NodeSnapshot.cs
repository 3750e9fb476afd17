using System.Net;
using P2PShare.Core.Protocol.Rendezvous;

namespace P2PShare.Peer.Node;

/// <summary>The node as it stands: who it is, its tracker, what it shares and fetches, its traffic and its parts.</summary>
internal sealed record NodeSnapshot(
    string PeerId,
    string DataDir,
    int P2pPort,
    Uri Tracker,
    bool TrackerConnected,
    int SharedFiles,
    int ActiveDownloads,
    int Connections,
    long BytesUp,
    long BytesDown,
    TimeSpan Uptime,
    DhtSnapshot? Dht,
    HolePunchSnapshot? HolePunch);

/// <summary>
/// The node's DHT: its routing table, lookups and announced files, and the holder entries all downloads' lookups found
/// (both sources merged), how many of them the DHT listed and how many only the DHT listed.
/// </summary>
internal sealed record DhtSnapshot(
    string NodeId,
    int Port,
    int RoutingTableSize,
    int GoodNodes,
    long Lookups,
    int AnnouncedFiles,
    long HoldersFound,
    long HoldersThroughDht,
    long HoldersOnlyThroughDht);

/// <summary>The hole-punch socket: its local UDP port, its public endpoint as the tracker saw it (null until known), and the NAT mapping measured.</summary>
internal sealed record HolePunchSnapshot(int UdpPort, IPEndPoint? PublicEndpoint, NatMapping Mapping);
