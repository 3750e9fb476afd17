namespace P2PShare.Tracker.Models;

/// <summary>Whether a request may act for a peer.</summary>
internal enum PeerAccess
{
    Allowed,

    /// <summary>No such peer is registered (it expired or never registered): it should register again.</summary>
    UnknownPeer,

    /// <summary>No X-Peer-Token header.</summary>
    MissingToken,

    /// <summary>A token that is not this peer's.</summary>
    WrongToken,
}
