using System.Globalization;
using System.Text;

namespace P2PShare.Peer.Node;

/// <summary>The node's counters in the Prometheus text format, for the control API's /metrics.</summary>
internal static class NodeMetrics
{
    public static string Render(PeerNode node)
    {
        var status = node.Snapshot();
        var downloads = node.Downloads.List();
        var text = new StringBuilder();
        Gauge(text, "p2pshare_peer_connections", "Open peer connections.", status.Connections);
        Gauge(text, "p2pshare_peer_shared_files", "Files this node shares.", status.SharedFiles);
        Gauge(text, "p2pshare_peer_downloads_active", "Downloads in progress.", status.ActiveDownloads);
        Counter(text, "p2pshare_peer_bytes_sent_total", "Bytes sent to peers, transport overhead included.", status.BytesUp);
        Counter(text, "p2pshare_peer_bytes_received_total", "Bytes received from peers, transport overhead included.", status.BytesDown);
        Gauge(text, "p2pshare_peer_download_chunks_verified", "Verified chunks of the downloads this node knows.", downloads.Sum(d => (long)d.VerifiedChunks));
        Gauge(text, "p2pshare_peer_tracker_connected", "1 while registered with the tracker.", status.TrackerConnected ? 1 : 0);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) => Write(text, name, help, "gauge", value);

    private static void Counter(StringBuilder text, string name, string help, long value) => Write(text, name, help, "counter", value);

    private static void Write(StringBuilder text, string name, string help, string type, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
