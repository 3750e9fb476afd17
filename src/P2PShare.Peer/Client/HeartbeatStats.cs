using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Client;

/// <summary>
/// What a heartbeat tells the tracker about this node's traffic: cumulative byte counters and the open peer
/// connections with their paths. The node fills it; the tracker turns successive reports into rates.
/// </summary>
internal sealed record HeartbeatStats(long BytesSent, long BytesReceived, IReadOnlyList<ReportedConnection> Connections)
{
    /// <summary>The heartbeat body; without stats just the peer ID. At most the tracker's connection limit is sent.</summary>
    public static HeartbeatRequest Request(string peerId, Func<HeartbeatStats>? provider)
    {
        if (provider?.Invoke() is not { } stats)
        {
            return new HeartbeatRequest { PeerId = peerId };
        }

        return new HeartbeatRequest
        {
            PeerId = peerId,
            BytesSent = Math.Max(0, stats.BytesSent),
            BytesReceived = Math.Max(0, stats.BytesReceived),
            Connections = [.. stats.Connections.Where(c => PeerIds.IsValid(c.PeerId) && ConnectionPaths.IsKnown(c.Path)).Take(TrackerLimits.MaxReportedConnections)],
        };
    }
}
