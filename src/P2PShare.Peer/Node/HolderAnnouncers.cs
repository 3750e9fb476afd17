using P2PShare.Core.Manifests;
using P2PShare.Peer.Downloader.HolderSources;

namespace P2PShare.Peer.Node;

/// <summary>
/// Announces to the tracker and to the DHT. The tracker hears every change at once; the DHT stores only whole files
/// and has no withdraw (its entries expire), so a complete announcement wakes the DHT service, which announces the
/// node's held files and renews each before it expires (DhtService).
/// </summary>
internal sealed class HolderAnnouncers(TrackerAnnouncer tracker, Func<DhtService?> dht) : IHolderAnnouncer
{
    public async Task AnnounceAsync(FileManifest manifest, bool complete, int verifiedChunks, CancellationToken ct)
    {
        await tracker.AnnounceAsync(manifest, complete, verifiedChunks, ct);
        if (complete)
        {
            dht()?.Nudge();
        }
    }

    public Task WithdrawAsync(string fileId, CancellationToken ct) => tracker.WithdrawAsync(fileId, ct);
}
