using P2PShare.Core.Transport;

namespace P2PShare.Peer.Connection;

/// <summary>
/// One way to reach a peer: a transport and the addresses to race on it, tried for at most <see cref="Timeout"/>
/// (connect plus Noise handshake plus Hello).
/// </summary>
internal sealed record DialPath(ConnectionKind Kind, IPeerTransport Transport, IReadOnlyList<PeerAddress> Addresses, TimeSpan Timeout);
