using System.Net;

namespace P2PShare.Dht;

/// <summary>
/// A peer that announced it holds a key: its peer ID, its 32-byte static key (the Noise handshake later proves the
/// peer owns it) and the TCP address it accepts peer connections on (the announcer's source IP, its stated port).
/// </summary>
public sealed record Holder(NodeId PeerId, ReadOnlyMemory<byte> StaticKey, IPEndPoint EndPoint)
{
    public string PeerIdHex => PeerId.ToString();
}
