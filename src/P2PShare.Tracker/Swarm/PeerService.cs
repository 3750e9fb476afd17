using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Events;
using P2PShare.Tracker.Metrics;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Storage;

namespace P2PShare.Tracker.Swarm;

/// <summary>Peer lifecycle: registration, authentication, heartbeats, removal and expiry, with their events.</summary>
internal sealed partial class PeerService(
    IPeerRegistry peers,
    IFileCatalog files,
    Liveness liveness,
    EventHub events,
    TrackerMetrics metrics,
    TrackerOptions options,
    ILogger<PeerService> logger)
{
    public const string ReasonUnregistered = "unregistered";
    public const string ReasonExpired = "expired";

    public int HeartbeatIntervalSeconds => (int)options.HeartbeatInterval.TotalSeconds;

    /// <summary>Registers a validated request; on a key conflict nothing changes and the new record is not stored.</summary>
    public RegisterOutcome Register(RegisterRequest request, IPAddress observed, out PeerRecord record)
    {
        record = new PeerRecord(
            request.PeerId,
            request.PublicKey,
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            observed,
            request.Port,
            request.UdpPort,
            request.LanAddresses ?? [],
            request.Name,
            request.Version,
            liveness.Now,
            request.AcceptsRelay,
            request.DhtPort);
        var outcome = peers.Register(record);
        if (outcome == RegisterOutcome.KeyConflict)
        {
            return outcome;
        }

        metrics.Registered();
        Log.Registered(logger, record.PeerId, record.AddressText, record.Port, outcome);
        if (outcome == RegisterOutcome.Replaced)
        {
            Log.Replaced(logger, record.PeerId, record.AddressText, record.Port);
        }

        if (events.HasClients)
        {
            events.Publish(TrackerEventTypes.PeerJoined, ToInfo(record), TrackerApiJsonContext.Default.PeerInfo);
        }

        return outcome;
    }

    /// <summary>
    /// Checks that <paramref name="token"/> is the token of the live peer <paramref name="peerId"/>. A peer whose
    /// expiry window has passed counts as unknown (and is removed now), so it knows to register again.
    /// </summary>
    public PeerAccess Authorize(string peerId, string? token, out PeerRecord? peer)
    {
        var now = liveness.Now;
        peer = peers.Find(peerId);
        if (peer is not null && !liveness.IsLive(peer, now))
        {
            Remove(peer, ReasonExpired);
            peer = null;
        }

        if (peer is null)
        {
            return PeerAccess.UnknownPeer;
        }

        if (string.IsNullOrEmpty(token))
        {
            return PeerAccess.MissingToken;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(peer.Token))
            ? PeerAccess.Allowed
            : PeerAccess.WrongToken;
    }

    public PeerRecord? Find(string peerId) => peers.Find(peerId);

    /// <summary>The peer when it is registered and within its expiry window.</summary>
    public PeerRecord? FindLive(string peerId) => peers.Find(peerId) is { } peer && liveness.IsLive(peer, liveness.Now) ? peer : null;

    /// <summary>Records a sign of life and, when the heartbeat carries counters, the peer's traffic (then publishes <c>peer.updated</c>).</summary>
    public void Heartbeat(PeerRecord peer, HeartbeatRequest request)
    {
        var now = liveness.Now;
        peer.Touch(now);
        if (request.BytesSent is null && request.BytesReceived is null && request.Connections is null)
        {
            return;
        }

        var previous = peer.Traffic;
        peer.Report(PeerTraffic.Next(
            previous,
            now,
            request.BytesSent ?? previous?.BytesSent ?? 0,
            request.BytesReceived ?? previous?.BytesReceived ?? 0,
            request.Connections ?? []));
        if (events.HasClients)
        {
            events.Publish(TrackerEventTypes.PeerUpdated, ToInfo(peer), TrackerApiJsonContext.Default.PeerInfo);
        }
    }

    /// <summary>Removes this registration and every holding of the peer; false when it was already gone.</summary>
    public bool Remove(PeerRecord peer, string reason)
    {
        if (!peers.Remove(peer))
        {
            return false;
        }

        Log.Removed(logger, peer.PeerId, reason);
        events.Publish(TrackerEventTypes.PeerLeft, new PeerLeftEvent { PeerId = peer.PeerId, Reason = reason }, TrackerApiJsonContext.Default.PeerLeftEvent);
        if (peers.Find(peer.PeerId) is null)
        {
            DropHoldings(peer.PeerId);
        }

        return true;
    }

    /// <summary>Removes every peer past its expiry window and holdings left by peers that are gone; returns the peers removed.</summary>
    public int RemoveExpired()
    {
        var now = liveness.Now;
        int removed = 0;
        foreach (var peer in peers.Snapshot())
        {
            if (!liveness.IsLive(peer, now) && Remove(peer, ReasonExpired))
            {
                removed++;
            }
        }

        foreach (string holder in files.Holders())
        {
            if (peers.Find(holder) is null)
            {
                DropHoldings(holder);
            }
        }

        metrics.Expired(removed);
        return removed;
    }

    public IReadOnlyList<PeerInfo> ListLive()
    {
        var now = liveness.Now;
        return [.. peers.Snapshot().Where(p => liveness.IsLive(p, now)).OrderBy(p => p.PeerId, StringComparer.Ordinal).Select(ToInfo)];
    }

    public PeerInfo ToInfo(PeerRecord peer) => new()
    {
        PeerId = peer.PeerId,
        PublicKey = peer.PublicKey,
        Address = peer.AddressText,
        Port = peer.Port,
        UdpPort = peer.UdpPort,
        DhtPort = peer.DhtPort,
        UdpEndpoint = peer.Udp?.Endpoint.ToString(),
        NatMapping = Core.Protocol.Rendezvous.NatMappingNames.Of(peer.Udp?.Mapping ?? Core.Protocol.Rendezvous.NatMapping.Unknown),
        LanAddresses = peer.LanAddresses,
        AcceptsRelay = peer.AcceptsRelay,
        Name = peer.Name,
        Version = peer.Version,
        RegisteredAt = peer.RegisteredAt,
        LastSeen = peer.LastSeen,
        Files = files.CountHeldBy(peer.PeerId),
        BytesSent = peer.Traffic?.BytesSent ?? 0,
        BytesReceived = peer.Traffic?.BytesReceived ?? 0,
        UploadRate = peer.Traffic?.UploadRate ?? 0,
        DownloadRate = peer.Traffic?.DownloadRate ?? 0,
        Paths = peer.Traffic?.Paths ?? new PathCounts(),
        Connections = peer.Traffic?.Connections ?? [],
    };

    /// <summary>The upload and download rates of the live peers, summed.</summary>
    public (double Up, double Down) NetworkRates()
    {
        var now = liveness.Now;
        double up = 0, down = 0;
        foreach (var peer in peers.Snapshot())
        {
            if (peer.Traffic is { } traffic && liveness.IsLive(peer, now))
            {
                up += traffic.UploadRate;
                down += traffic.DownloadRate;
            }
        }

        return (up, down);
    }

    private void DropHoldings(string peerId)
    {
        foreach (var file in files.RemovePeer(peerId))
        {
            FileService.PublishRemoved(events, file);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Debug, "Peer {PeerId} at {Address}:{Port}: {Outcome}")]
        public static partial void Registered(ILogger logger, string peerId, string address, int port, RegisterOutcome outcome);

        [LoggerMessage(2003, LogLevel.Information, "Peer {PeerId} registered again with a proof of its key, now at {Address}:{Port}; the previous registration's token no longer works")]
        public static partial void Replaced(ILogger logger, string peerId, string address, int port);

        [LoggerMessage(2002, LogLevel.Information, "Peer {PeerId} removed: {Reason}")]
        public static partial void Removed(ILogger logger, string peerId, string reason);
    }
}
