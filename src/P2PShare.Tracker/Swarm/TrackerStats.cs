using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Events;
using P2PShare.Tracker.Metrics;
using P2PShare.Tracker.Storage;

namespace P2PShare.Tracker.Swarm;

/// <summary>The counters behind /health and the stats event.</summary>
internal sealed class TrackerStats(IPeerRegistry peers, IFileCatalog files, EventHub events, TrackerMetrics metrics, TimeProvider time)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public long UptimeSeconds => (long)(time.GetUtcNow() - _startedAt).TotalSeconds;

    public HealthResponse Health() => new()
    {
        Status = "ok",
        Peers = peers.Count,
        Files = files.Count,
        UptimeSeconds = UptimeSeconds,
    };

    public StatsEvent Snapshot() => new()
    {
        Peers = peers.Count,
        Files = files.Count,
        WsClients = events.ClientCount,
        AnnouncesTotal = metrics.AnnouncesTotal,
        RelayTunnels = metrics.RelayTunnelsOpen,
        RelayBytesTotal = metrics.RelayBytesTotal,
        UptimeSeconds = UptimeSeconds,
    };
}
