using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Connection;

/// <summary>Everything needed to reach a peer and check that it is who it claims: as the tracker lists it.</summary>
internal sealed record PeerContact(
    string PeerId,
    ReadOnlyMemory<byte> StaticKey,
    string Address,
    int Port,
    IReadOnlyList<string> LanAddresses,
    bool AcceptsRelay)
{
    public static PeerContact From(FilePeer holder) =>
        new(holder.PeerId, Convert.FromHexString(holder.PublicKey), holder.Address, holder.Port, holder.LanAddresses, holder.AcceptsRelay);
}
