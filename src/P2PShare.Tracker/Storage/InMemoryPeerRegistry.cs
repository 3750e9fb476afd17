using System.Collections.Concurrent;
using P2PShare.Tracker.Models;

namespace P2PShare.Tracker.Storage;

/// <summary>Peers in a concurrent dictionary; reads take no lock.</summary>
internal sealed class InMemoryPeerRegistry : IPeerRegistry
{
    private readonly ConcurrentDictionary<string, PeerRecord> _peers = new(StringComparer.Ordinal);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public RegisterOutcome Register(PeerRecord candidate)
    {
        while (true)
        {
            if (_peers.TryAdd(candidate.PeerId, candidate))
            {
                Interlocked.Increment(ref _count);
                return RegisterOutcome.Registered;
            }

            if (!_peers.TryGetValue(candidate.PeerId, out var existing))
            {
                continue;
            }

            if (!string.Equals(existing.PublicKey, candidate.PublicKey, StringComparison.Ordinal))
            {
                return RegisterOutcome.KeyConflict;
            }

            if (_peers.TryUpdate(candidate.PeerId, candidate, existing))
            {
                return RegisterOutcome.Replaced;
            }
        }
    }

    public PeerRecord? Find(string peerId) => _peers.TryGetValue(peerId, out var peer) ? peer : null;

    public PeerRecord? Remove(string peerId)
    {
        if (!_peers.TryRemove(peerId, out var removed))
        {
            return null;
        }

        Interlocked.Decrement(ref _count);
        return removed;
    }

    public bool Remove(PeerRecord record)
    {
        if (!_peers.TryRemove(new KeyValuePair<string, PeerRecord>(record.PeerId, record)))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }

    public IReadOnlyList<PeerRecord> Snapshot() => [.. _peers.Values];
}
