using P2PShare.Tracker.Models;

namespace P2PShare.Tracker.Storage;

/// <summary>The registered peers by ID. Every member is safe to call concurrently.</summary>
internal interface IPeerRegistry
{
    int Count { get; }

    /// <summary>
    /// Stores <paramref name="candidate"/> unless its ID is registered with a different public key
    /// (<see cref="RegisterOutcome.KeyConflict"/>); a same-key registration replaces the old record.
    /// </summary>
    RegisterOutcome Register(PeerRecord candidate);

    PeerRecord? Find(string peerId);

    /// <summary>Removes the peer with this ID; returns the removed record, or null when there was none.</summary>
    PeerRecord? Remove(string peerId);

    /// <summary>Removes exactly this record, not a newer registration under the same ID.</summary>
    bool Remove(PeerRecord record);

    IReadOnlyList<PeerRecord> Snapshot();
}
