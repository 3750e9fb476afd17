using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Events;
using P2PShare.Tracker.Metrics;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Storage;

namespace P2PShare.Tracker.Swarm;

/// <summary>Announces, withdrawals and the read side of the catalogue, counting only live holders.</summary>
internal sealed partial class FileService(
    IPeerRegistry peers,
    IFileCatalog files,
    Liveness liveness,
    EventHub events,
    TrackerMetrics metrics,
    ILogger<FileService> logger)
{
    /// <summary>Records a validated announce from an authenticated peer.</summary>
    public AnnounceOutcome Announce(PeerRecord peer, FileManifest manifest, bool complete, int verifiedChunks, out FileEntry entry)
    {
        var now = liveness.Now;
        var outcome = files.Announce(manifest, peer.PeerId, new FileHolding(complete, verifiedChunks, now), out entry);
        if (outcome is not (AnnounceOutcome.Created or AnnounceOutcome.Known))
        {
            return outcome;
        }

        peer.Touch(now);
        if (peers.Find(peer.PeerId) is null)
        {
            // The peer was removed while this announce ran: do not leave its holding behind.
            foreach (var gone in files.RemovePeer(peer.PeerId))
            {
                PublishRemoved(events, gone);
            }
        }

        metrics.Announced();
        Log.Announced(logger, peer.PeerId, entry.Hash, complete, outcome);
        if (!events.HasClients)
        {
            return outcome;
        }

        var announced = new FileAnnouncedEvent
        {
            File = Summarize(entry, now),
            PeerId = peer.PeerId,
            Created = outcome == AnnounceOutcome.Created,
            Complete = complete,
        };
        events.Publish(TrackerEventTypes.FileAnnounced, announced, TrackerApiJsonContext.Default.FileAnnouncedEvent);
        return outcome;
    }

    /// <summary>Forgets that the peer holds the file; false when it did not hold it.</summary>
    public bool Withdraw(PeerRecord peer, string hash)
    {
        peer.Touch(liveness.Now);
        if (!files.Withdraw(hash, peer.PeerId, out var removed))
        {
            return false;
        }

        if (removed is not null)
        {
            PublishRemoved(events, removed);
        }

        return true;
    }

    public FileManifest? FindManifest(string hash) => files.Find(hash)?.Manifest;

    /// <summary>
    /// One page of the files with at least one live holder whose name contains <paramref name="query"/>
    /// (case-insensitive), newest first.
    /// </summary>
    public FileListResponse List(string? query, int limit, int offset)
    {
        var now = liveness.Now;
        var matches = files.Snapshot()
            .Where(f => query is null || f.Manifest.Name.Contains(query, StringComparison.OrdinalIgnoreCase))
            .Select(f => Summarize(f, now))
            .Where(s => s.Holders > 0)
            .OrderByDescending(s => s.AnnouncedAt)
            .ThenBy(s => s.Hash, StringComparer.Ordinal)
            .ToList();
        return new FileListResponse
        {
            Files = [.. matches.Skip(offset).Take(limit)],
            Total = matches.Count,
            Limit = limit,
            Offset = offset,
        };
    }

    /// <summary>The live holders of a file, complete ones first; null when the file is not catalogued.</summary>
    public FilePeersResponse? Holders(string hash)
    {
        if (files.Find(hash) is not { } entry)
        {
            return null;
        }

        var now = liveness.Now;
        var holders = new List<FilePeer>(entry.Holders.Count);
        foreach (var (peerId, holding) in entry.Holders)
        {
            if (liveness.FindLive(peerId, now) is { } peer)
            {
                holders.Add(new FilePeer
                {
                    PeerId = peer.PeerId,
                    PublicKey = peer.PublicKey,
                    Address = peer.AddressText,
                    Port = peer.Port,
                    UdpPort = peer.UdpPort,
                    DhtPort = peer.DhtPort,
                    LanAddresses = peer.LanAddresses,
                    AcceptsRelay = peer.AcceptsRelay,
                    Complete = holding.Complete,
                    VerifiedChunks = holding.VerifiedChunks,
                    LastSeen = peer.LastSeen,
                });
            }
        }

        holders.Sort(static (a, b) => a.Complete != b.Complete ? (a.Complete ? -1 : 1) : string.CompareOrdinal(a.PeerId, b.PeerId));
        return new FilePeersResponse { Hash = entry.Hash, Peers = holders };
    }

    public FileSummary Summarize(FileEntry entry, DateTimeOffset now)
    {
        int holders = 0, seeders = 0;
        foreach (var (peerId, holding) in entry.Holders)
        {
            if (liveness.FindLive(peerId, now) is not null)
            {
                holders++;
                seeders += holding.Complete ? 1 : 0;
            }
        }

        var manifest = entry.Manifest;
        return new FileSummary
        {
            Hash = manifest.Hash,
            Name = manifest.Name,
            Size = manifest.Size,
            ChunkSize = manifest.ChunkSize,
            ChunkCount = manifest.ChunkCount,
            Holders = holders,
            Seeders = seeders,
            AnnouncedAt = entry.AnnouncedAt,
        };
    }

    public static void PublishRemoved(EventHub events, FileEntry file) =>
        events.Publish(
            TrackerEventTypes.FileRemoved,
            new FileRemovedEvent { Hash = file.Hash, Name = file.Manifest.Name },
            TrackerApiJsonContext.Default.FileRemovedEvent);

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Debug, "Peer {PeerId} announced {Hash} (complete: {Complete}): {Outcome}")]
        public static partial void Announced(ILogger logger, string peerId, string hash, bool complete, AnnounceOutcome outcome);
    }
}
