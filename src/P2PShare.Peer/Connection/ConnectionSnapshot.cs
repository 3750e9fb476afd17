using P2PShare.Core.Transport;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>One open peer connection as it stands: who, over which path, how fast the round trip, how many bytes.</summary>
internal sealed record ConnectionSnapshot(
    string PeerId,
    string Address,
    ConnectionKind Path,
    ConnectionDirection Direction,
    int? RttMs,
    long BytesUp,
    long BytesDown,
    DateTimeOffset ConnectedAt);
