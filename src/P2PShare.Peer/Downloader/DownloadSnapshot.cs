using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>
/// One download as it stands, running or not: its state, verified chunks and bytes, the current rate and holder count
/// (0 when not running), where the file is (once completed), and how many bytes each peer sent (null when not known).
/// </summary>
internal sealed record DownloadSnapshot(
    string FileId,
    string Name,
    long Size,
    DownloadState State,
    int VerifiedChunks,
    int ChunkCount,
    long BytesDone,
    double RateBytesPerSecond,
    int Peers,
    string? Path,
    string? Error,
    IReadOnlyDictionary<string, long>? BytesFromPeers = null);
