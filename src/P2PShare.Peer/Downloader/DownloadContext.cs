using Microsoft.Extensions.Logging;
using P2PShare.Core.Transport;
using P2PShare.Peer.Client;
using P2PShare.Peer.Node;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>The node services every download uses; <see cref="Transports"/> are tried in order for each holder address.</summary>
internal sealed record DownloadContext(
    string SelfPeerId,
    TrackerClient Tracker,
    TrackerAnnouncer Announcer,
    LinkFactory Links,
    IReadOnlyList<IPeerTransport> Transports,
    LinkDirectory Directory,
    SharedFileIndex Index,
    DownloadOptions Options,
    TimeProvider Time,
    ILogger Logger);
