using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Events;
using P2PShare.Tracker.Metrics;
using P2PShare.Tracker.Storage;

namespace P2PShare.Tracker.Swarm;

/// <summary>The counters behind /health, /api/stats and the stats event.</summary>
internal sealed class TrackerStats(IPeerRegistry peers, IFileCatalog files, PeerService peerService, EventHub events, TrackerMetrics metrics, TimeProvider time)
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

    public StatsEvent Snapshot()
    {
        var (up, down) = peerService.NetworkRates();
        return new StatsEvent
        {
            Peers = peers.Count,
            Files = files.Count,
            WsClients = events.ClientCount,
            AnnouncesTotal = metrics.AnnouncesTotal,
            RelayTunnels = metrics.RelayTunnelsOpen,
            RelayBytesTotal = metrics.RelayBytesTotal,
            TotalBytes = files.Snapshot().Sum(f => f.Manifest.Size),
            UploadRate = up,
            DownloadRate = down,
            UptimeSeconds = UptimeSeconds,
        };
    }

    public NetworkSample Sample(StatsEvent stats) => new()
    {
        Time = time.GetUtcNow(),
        Peers = stats.Peers,
        UploadRate = stats.UploadRate,
        DownloadRate = stats.DownloadRate,
    };
}
