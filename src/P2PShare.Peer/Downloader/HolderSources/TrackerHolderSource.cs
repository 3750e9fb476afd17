using P2PShare.Peer.Client;
using P2PShare.Peer.Connection;

namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>Holders as the tracker lists them (<c>GET /api/files/{hash}/peers</c>).</summary>
internal sealed class TrackerHolderSource(TrackerClient tracker) : IHolderSource
{
    public HolderOrigin Origin => HolderOrigin.Tracker;

    public async Task<IReadOnlyList<HolderCandidate>> FindAsync(string fileId, CancellationToken ct)
    {
        try
        {
            var response = await tracker.GetFilePeersAsync(fileId, ct);
            return [.. response.Peers.Select(p => new HolderCandidate(PeerContact.From(p), p.Complete, p.VerifiedChunks, HolderOrigin.Tracker))];
        }
        catch (TrackerException ex)
        {
            throw new HolderSourceException($"tracker: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new HolderSourceException($"tracker listed a malformed holder: {ex.Message}", ex);
        }
    }
}
