using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Storage;

namespace P2PShare.Tracker.Swarm;

/// <summary>
/// Decides whether a peer is live: registered and heard from within the expiry window. Reads apply it directly, so
/// an expired peer disappears from answers the moment its window ends, before the sweeper removes it.
/// </summary>
internal sealed class Liveness(IPeerRegistry peers, TimeProvider time, TrackerOptions options)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public bool IsLive(PeerRecord peer, DateTimeOffset now) => now - peer.LastSeen < options.ExpiryAfter;

    /// <summary>The registered, live peer with this ID, or null.</summary>
    public PeerRecord? FindLive(string peerId, DateTimeOffset now) =>
        peers.Find(peerId) is { } peer && IsLive(peer, now) ? peer : null;
}
