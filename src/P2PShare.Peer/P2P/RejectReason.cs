namespace P2PShare.Peer.P2P;

/// <summary>Why a chunk request was refused.</summary>
internal enum RejectReason : byte
{
    NotHave = 1,
    Busy = 2,
}
