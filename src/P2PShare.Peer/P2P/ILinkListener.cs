using P2PShare.Core.Protocol;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>A download attached to a link for one file: receives what the remote says about that file.</summary>
internal interface ILinkListener
{
    void OnBitfield(PeerLink link, ChunkBitmap bitfield);

    void OnHave(PeerLink link, int index);

    /// <summary>Takes ownership of <paramref name="data"/> and must dispose it.</summary>
    void OnPiece(PeerLink link, int index, PieceData data);

    void OnReject(PeerLink link, int index, RejectReason reason);

    void OnClosed(PeerLink link, string reason);
}
