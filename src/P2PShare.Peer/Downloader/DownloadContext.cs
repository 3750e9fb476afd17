using Microsoft.Extensions.Logging;
using P2PShare.Peer.Client;
using P2PShare.Peer.Connection;
using P2PShare.Peer.Downloader.HolderSources;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>The node services every download uses; <see cref="Holders"/> merges the tracker's and the DHT's holder lists; <see cref="Connections"/> hands out the one link per holder.</summary>
internal sealed record DownloadContext(
    string SelfPeerId,
    TrackerClient Tracker,
    IHolderAnnouncer Announcer,
    HolderLists Holders,
    ManifestFromHolders Manifests,
    ConnectionManager Connections,
    LinkDirectory Directory,
    SharedFileIndex Index,
    DownloadOptions Options,
    TimeProvider Time,
    ILogger Logger);
