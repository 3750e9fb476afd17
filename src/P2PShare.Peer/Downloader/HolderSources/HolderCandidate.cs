using P2PShare.Peer.Connection;

namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>Where a holder was heard of; a holder both sources list carries both flags.</summary>
[Flags]
internal enum HolderOrigin
{
    None = 0,
    Tracker = 1,
    Dht = 2,
}

/// <summary>
/// A peer that says it holds a file, with what the connection manager needs to reach it and check its key. The
/// Noise handshake proves the key and every chunk is checked against the Merkle root, so a false entry costs time,
/// never data.
/// </summary>
internal sealed record HolderCandidate(PeerContact Contact, bool Complete, int VerifiedChunks, HolderOrigin Origin)
{
    public string PeerId => Contact.PeerId;
}
