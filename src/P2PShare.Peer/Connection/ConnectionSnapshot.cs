using P2PShare.Core.Transport;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// One open peer connection as it stands: who, over which path, how fast the round trip, how many bytes, and for
/// links this node dialled how long the dial took to decide the path.
/// </summary>
internal sealed record ConnectionSnapshot(
    string PeerId,
    string Address,
    ConnectionKind Path,
    ConnectionDirection Direction,
    int? RttMs,
    long BytesUp,
    long BytesDown,
    DateTimeOffset ConnectedAt,
    int? DialMs = null);
