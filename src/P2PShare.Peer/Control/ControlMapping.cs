using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Connection;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Control;

/// <summary>The node's own records turned into the control API's JSON shapes.</summary>
internal static class ControlMapping
{
    public static ConnectionView ToView(ConnectionSnapshot c) =>
        new(c.PeerId, c.Address, ConnectionPaths.Name(c.Path), c.Direction == ConnectionDirection.Inbound ? "inbound" : "outbound", c.RttMs, c.BytesUp, c.BytesDown, c.ConnectedAt, c.DialMs);
}
