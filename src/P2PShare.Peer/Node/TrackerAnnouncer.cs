using Microsoft.Extensions.Logging;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Client;
using P2PShare.Peer.Downloader.HolderSources;

namespace P2PShare.Peer.Node;

/// <summary>
/// Tells the tracker what this node holds. While the tracker is unreachable nothing is lost: everything is
/// announced again as soon as the node registers.
/// </summary>
internal sealed partial class TrackerAnnouncer(TrackerClient client, Func<TrackerPresence?> presence, string peerId, ILogger logger) : IHolderAnnouncer
{
    public async Task AnnounceAsync(FileManifest manifest, bool complete, int verifiedChunks, CancellationToken ct)
    {
        if (presence()?.Token is not { } token)
        {
            return;
        }

        try
        {
            await client.AnnounceAsync(token, new AnnounceRequest { PeerId = peerId, Manifest = manifest, Complete = complete, VerifiedChunks = complete ? null : verifiedChunks }, ct);
        }
        catch (TrackerException ex)
        {
            Log.AnnounceFailed(logger, manifest.Hash, ex.Message);
            presence()?.RequestFullAnnounce();
        }
    }

    public async Task WithdrawAsync(string fileId, CancellationToken ct)
    {
        if (presence()?.Token is not { } token)
        {
            return;
        }

        try
        {
            await client.WithdrawAsync(token, peerId, fileId, ct);
        }
        catch (TrackerException ex)
        {
            Log.AnnounceFailed(logger, fileId, ex.Message);
            presence()?.RequestFullAnnounce();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "could not update the tracker about {FileId}: {Reason}")]
        public static partial void AnnounceFailed(ILogger logger, string fileId, string reason);
    }
}
