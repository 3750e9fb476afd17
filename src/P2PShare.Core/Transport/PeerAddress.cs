namespace P2PShare.Core.Transport;

/// <summary>
/// Where to reach a peer, as the tracker lists it: its peer ID and the host and port it announced. A direct
/// transport dials Host:Port; hole punching and the relay find the peer through the tracker by PeerId.
/// </summary>
public sealed record PeerAddress(string PeerId, string Host, int Port)
{
    public override string ToString() => $"{PeerId}@{Host}:{Port}";
}
