using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Models;

/// <summary>
/// A peer's traffic as of its last heartbeat with counters: the cumulative counters, the rates the tracker computed
/// from the heartbeat before, and the connections it reported. Immutable; each heartbeat stores a new one.
/// </summary>
internal sealed record PeerTraffic(
    DateTimeOffset At,
    long BytesSent,
    long BytesReceived,
    double UploadRate,
    double DownloadRate,
    PathCounts Paths,
    IReadOnlyList<ReportedConnection> Connections)
{
    /// <summary>
    /// The traffic after a heartbeat reporting <paramref name="sent"/> and <paramref name="received"/> at
    /// <paramref name="now"/>. Rates are the counters' growth per second since <paramref name="previous"/>; a
    /// counter that went down (the peer restarted) or no earlier report gives 0, and no time passed keeps the old rate.
    /// </summary>
    public static PeerTraffic Next(PeerTraffic? previous, DateTimeOffset now, long sent, long received, IReadOnlyList<ReportedConnection> connections)
    {
        double up = 0, down = 0;
        if (previous is not null)
        {
            double seconds = (now - previous.At).TotalSeconds;
            if (seconds <= 0)
            {
                (up, down) = (previous.UploadRate, previous.DownloadRate);
            }
            else
            {
                up = Rate(previous.BytesSent, sent, seconds);
                down = Rate(previous.BytesReceived, received, seconds);
            }
        }

        return new PeerTraffic(now, sent, received, up, down, Count(connections), connections);
    }

    private static double Rate(long before, long after, double seconds) => after >= before ? (after - before) / seconds : 0;

    private static PathCounts Count(IReadOnlyList<ReportedConnection> connections)
    {
        int direct = 0, holePunch = 0, relay = 0;
        foreach (var connection in connections)
        {
            switch (connection.Path)
            {
                case ConnectionPaths.HolePunch:
                    holePunch++;
                    break;
                case ConnectionPaths.Relay:
                    relay++;
                    break;
                default:
                    direct++;
                    break;
            }
        }

        return new PathCounts { Direct = direct, HolePunch = holePunch, Relay = relay };
    }
}
