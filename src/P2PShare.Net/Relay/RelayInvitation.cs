namespace P2PShare.Net.Relay;

/// <summary>Peer <paramref name="FromPeerId"/> asked the tracker for a tunnel to this peer; accept it by joining <paramref name="TunnelId"/>.</summary>
public sealed record RelayInvitation(string TunnelId, string FromPeerId);
