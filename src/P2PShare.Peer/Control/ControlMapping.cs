using P2PShare.Core.Protocol.Rendezvous;
using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Connection;
using P2PShare.Peer.Downloader;
using P2PShare.Peer.Node;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Control;

/// <summary>
/// The node's own records turned into the control API's JSON shapes. The API's names and string values are documented
/// (docs/api.md) and scripted against, so they are spelled out here rather than derived from enum member names.
/// </summary>
internal static class ControlMapping
{
    public static ConnectionView ToView(ConnectionSnapshot c) =>
        new(c.PeerId, c.Address, ConnectionPaths.Name(c.Path), DirectionName(c.Direction), c.RttMs, c.BytesUp, c.BytesDown, c.ConnectedAt, c.DialMs);

    public static DownloadView ToView(DownloadSnapshot d) =>
        new(d.FileId, d.Name, d.Size, StateName(d.State), d.VerifiedChunks, d.ChunkCount, d.BytesDone, d.RateBytesPerSecond, d.Peers, d.Path, d.Error, d.BytesFromPeers);

    public static SharedFileView ToView(SharedFile f) => new(f.FileId, f.Name, f.Size, f.FullPath);

    public static NodeStatus ToView(NodeSnapshot n) => new(
        n.PeerId,
        n.DataDir,
        n.P2pPort,
        n.Tracker.ToString(),
        n.TrackerConnected,
        n.SharedFiles,
        n.ActiveDownloads,
        n.Connections,
        n.BytesUp,
        n.BytesDown,
        n.Uptime.TotalSeconds,
        n.Dht is { } dht ? ToView(dht) : null,
        n.HolePunch is { } punch ? ToView(punch) : null);

    public static DhtView ToView(DhtSnapshot d) => new(
        d.NodeId,
        d.Port,
        d.RoutingTableSize,
        d.GoodNodes,
        d.Lookups,
        d.AnnouncedFiles,
        d.HoldersFound,
        d.HoldersThroughDht,
        d.HoldersOnlyThroughDht,
        d.HoldersFound == 0 ? null : (double)d.HoldersThroughDht / d.HoldersFound);

    public static HolePunchView ToView(HolePunchSnapshot h) => new(h.UdpPort, h.PublicEndpoint?.ToString(), NatMappingNames.Of(h.Mapping));

    public static string StateName(DownloadState state) => state switch
    {
        DownloadState.Active => "active",
        DownloadState.Paused => "paused",
        DownloadState.Completed => "completed",
        DownloadState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "no API name for this download state"),
    };

    public static string DirectionName(ConnectionDirection direction) => direction switch
    {
        ConnectionDirection.Inbound => "inbound",
        ConnectionDirection.Outbound => "outbound",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "no API name for this direction"),
    };
}
