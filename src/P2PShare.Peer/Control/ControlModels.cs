namespace P2PShare.Peer.Control;

// The control API's JSON shapes (snake_case on the wire, see ControlJson).

internal sealed record NodeStatus(
    string PeerId,
    string DataDir,
    int P2pPort,
    string Tracker,
    bool TrackerConnected,
    int SharedFiles,
    int ActiveDownloads,
    int Connections,
    long BytesUp,
    long BytesDown,
    double UptimeSeconds,
    DhtView? Dht = null,
    HolePunchView? HolePunch = null);

/// <summary>The hole-punch socket: its local UDP port, its public endpoint as the tracker saw it, and the NAT mapping measured.</summary>
internal sealed record HolePunchView(int UdpPort, string? PublicEndpoint, string NatMapping);

/// <summary>
/// The peer's DHT node, null in <see cref="NodeStatus"/> when the DHT is off. The DHT in <c>peer status</c>: <see cref="HoldersFound"/> counts holder entries all downloads' lookups found (both
/// sources merged), <see cref="HoldersThroughDht"/> those the DHT listed, <see cref="HoldersOnlyThroughDht"/> those
/// only the DHT listed; <see cref="DhtShare"/> is their ratio, null before any lookup.
/// </summary>
internal sealed record DhtView(
    string NodeId,
    int Port,
    int RoutingTableSize,
    int GoodNodes,
    long Lookups,
    int AnnouncedFiles,
    long HoldersFound = 0,
    long HoldersThroughDht = 0,
    long HoldersOnlyThroughDht = 0,
    double? DhtShare = null);

internal sealed record SharedFileView(string Hash, string Name, long Size, string Path);

internal sealed record DownloadView(
    string Hash,
    string Name,
    long Size,
    string State,
    int VerifiedChunks,
    int ChunkCount,
    long BytesDone,
    double RateBytesPerSecond,
    int Peers,
    string? Path,
    string? Error,
    IReadOnlyDictionary<string, long>? BytesFromPeers = null);

/// <summary>
/// One peer connection; <c>path</c> is direct, holepunch or relay, <c>rtt_ms</c> null until measured, <c>dial_ms</c>
/// how long this node's dial took to decide the path (null for inbound links).
/// </summary>
internal sealed record ConnectionView(
    string PeerId,
    string Address,
    string Path,
    string Direction,
    int? RttMs,
    long BytesUp,
    long BytesDown,
    DateTimeOffset ConnectedAt,
    int? DialMs = null);

internal sealed record StartDownloadRequest(string Hash, string? OutputDir);

internal sealed record ShareRequest(string Path);

internal sealed record ControlError(string Error);

/// <summary>Bandwidth limits in bytes per second (0 = unlimited) and as text.</summary>
internal sealed record LimitsView(long UpBytesPerSecond, long DownBytesPerSecond, string Up, string Down);

/// <summary>New limits such as "10MB", "512KiB" or "0"; a null side stays as it is.</summary>
internal sealed record SetLimitsRequest(string? Up, string? Down);

/// <summary><c>peer status --json</c>: the node, its peer connections (with path and RTT) and its downloads.</summary>
internal sealed record StatusDocument(NodeStatus Node, IReadOnlyList<ConnectionView> Connections, IReadOnlyList<DownloadView> Downloads);

/// <summary><c>peer peers --json</c>: the node's peer connections.</summary>
internal sealed record PeersDocument(IReadOnlyList<ConnectionView> Peers);

/// <summary>
/// One line of <c>peer download --json</c>: the download as it stands; the rate and ETA are measured by the follower
/// from when it began following. The last line has state completed, failed or paused.
/// </summary>
internal sealed record DownloadProgressLine(
    string Hash,
    string Name,
    string State,
    long Size,
    long BytesDone,
    int VerifiedChunks,
    int ChunkCount,
    double RateBytesPerSecond,
    int Peers,
    double? EtaSeconds,
    string? Path,
    string? Error);
