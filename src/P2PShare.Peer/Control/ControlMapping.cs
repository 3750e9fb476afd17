using P2PShare.Core.Transport;
using P2PShare.Peer.Connection;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Control;

/// <summary>The node's own records turned into the control API's JSON shapes.</summary>
internal static class ControlMapping
{
    public static ConnectionView ToView(ConnectionSnapshot c) =>
        new(c.PeerId, c.Address, PathName(c.Path), c.Direction == ConnectionDirection.Inbound ? "inbound" : "outbound", c.RttMs, c.BytesUp, c.BytesDown, c.ConnectedAt);

    /// <summary>The path names used everywhere: direct, holepunch, relay.</summary>
    public static string PathName(ConnectionKind path) => path switch
    {
        ConnectionKind.Direct => "direct",
        ConnectionKind.HolePunch => "holepunch",
        ConnectionKind.Relay => "relay",
        _ => path.ToString().ToLowerInvariant(),
    };
}
