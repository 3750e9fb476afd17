using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>Where a node tells others what it holds: the tracker, the DHT, or both (Node/HolderAnnouncers.cs).</summary>
internal interface IHolderAnnouncer
{
    /// <summary>Says the node holds the file, whole or (<paramref name="complete"/> false) in part; never throws for an unreachable place.</summary>
    Task AnnounceAsync(FileManifest manifest, bool complete, int verifiedChunks, CancellationToken ct);

    /// <summary>Says the node no longer holds the file.</summary>
    Task WithdrawAsync(string fileId, CancellationToken ct);
}
