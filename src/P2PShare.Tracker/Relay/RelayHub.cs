using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.Throttling;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Metrics;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Relay;

/// <summary>
/// The relay: one control session per peer that accepts relayed connections, and the tunnels between peers.
/// A connect request creates a tunnel, invites the target over its control session and tells the asker the
/// tunnel ID; both join with tunnel sockets and are spliced. Every table here has a bound: one session per
/// registered peer, <see cref="RelayOptions.MaxTunnels"/> tunnels, <see cref="RelayOptions.MaxTunnelsPerPeer"/>
/// per peer.
/// </summary>
internal sealed partial class RelayHub
{
    private readonly ConcurrentDictionary<string, ControlSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RelayTunnel> _tunnels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tunnelsPerPeer = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly PeerService _peers;
    private readonly TrackerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RelayHub> _logger;
    private readonly TokenBucket? _totalRate;

    public RelayHub(PeerService peers, TrackerMetrics metrics, TrackerOptions options, TimeProvider time, ILogger<RelayHub> logger)
    {
        _peers = peers;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Options = options.Relay;
        _totalRate = Options.TotalRate > 0 ? new TokenBucket(Options.TotalRate, time) : null;
    }

    public RelayOptions Options { get; }

    /// <summary>Peers with a control socket open.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>True while <paramref name="peerId"/> has a control socket open.</summary>
    public bool HasSession(string peerId) => _sessions.ContainsKey(peerId);

    public int TunnelCount
    {
        get
        {
            lock (_gate)
            {
                return _tunnels.Count;
            }
        }
    }

    /// <summary>Runs a peer's control session until it ends; a session the peer already had is closed as replaced.</summary>
    public async Task RunControlAsync(string peerId, WebSocket socket, CancellationToken stopping)
    {
        var session = new ControlSession(peerId, socket, Options.ControlQueueCapacity);
        if (_sessions.TryGetValue(peerId, out var previous))
        {
            previous.Close(RelayCloseCodes.Replaced, "replaced by a newer control socket of the same peer");
        }

        _sessions[peerId] = session;
        _metrics.RelaySessionOpened();
        Log.SessionOpened(_logger, peerId);
        session.TrySend(new RelayMessage { Type = RelayMessageTypes.Welcome, Version = RelayMessageTypes.Version, PeerId = peerId });
        try
        {
            await session.RunAsync(Handle, stopping);
        }
        finally
        {
            _sessions.TryRemove(new KeyValuePair<string, ControlSession>(peerId, session));
            _metrics.RelaySessionClosed();
            Log.SessionClosed(_logger, peerId);
        }
    }

    /// <summary>Answers one control message; types this version does not know are ignored.</summary>
    private RelayMessage? Handle(ControlSession session, RelayMessage message) => message.Type switch
    {
        RelayMessageTypes.Connect => Connect(session.PeerId, message),
        RelayMessageTypes.PunchRequest => Punch(session, message),
        _ => null,
    };

    private RelayMessage Connect(string from, RelayMessage request)
    {
        string? target = request.Target;
        if (!PeerIds.IsValid(target))
        {
            return Refuse(request.Id, RelayErrorCodes.BadRequest, "connect needs a target: a peer ID of 40 hex characters");
        }

        if (target == from)
        {
            return Refuse(request.Id, RelayErrorCodes.BadRequest, "a peer cannot open a tunnel to itself");
        }

        if (_peers.Find(target) is null)
        {
            return Refuse(request.Id, RelayErrorCodes.UnknownPeer, $"peer {target} is not registered with this tracker");
        }

        if (!_sessions.TryGetValue(target, out var targetSession))
        {
            return Refuse(request.Id, RelayErrorCodes.NotAccepting, $"peer {target} has no relay control socket open, so it cannot be invited");
        }

        if (!TryAddTunnel(from, target, out var tunnel, out string? limit))
        {
            return Refuse(request.Id, RelayErrorCodes.Limit, limit);
        }

        tunnel.Timer = _time.CreateTimer(_ => JoinTimedOut(tunnel), null, Options.JoinTimeout, Timeout.InfiniteTimeSpan);
        if (!targetSession.TrySend(new RelayMessage { Type = RelayMessageTypes.Invite, Tunnel = tunnel.Id, From = from }))
        {
            Abandon(tunnel);
            return Refuse(request.Id, RelayErrorCodes.NotAccepting, $"peer {target} is not reading its relay control socket");
        }

        Log.TunnelCreated(_logger, tunnel.Id, from, target);
        return new RelayMessage { Type = RelayMessageTypes.Tunnel, Id = request.Id, Tunnel = tunnel.Id };
    }

    private bool TryAddTunnel(string from, string to, out RelayTunnel tunnel, out string limit)
    {
        tunnel = null!;
        limit = "";
        lock (_gate)
        {
            if (_tunnels.Count >= Options.MaxTunnels)
            {
                limit = $"the relay has {_tunnels.Count} tunnels open, the most it allows";
                return false;
            }

            foreach (string peer in (ReadOnlySpan<string>)[from, to])
            {
                if (_tunnelsPerPeer.GetValueOrDefault(peer) >= Options.MaxTunnelsPerPeer)
                {
                    limit = $"peer {peer} has {Options.MaxTunnelsPerPeer} relay tunnels open, the most one peer may have";
                    return false;
                }
            }

            tunnel = new RelayTunnel(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)), from, to);
            _tunnels.Add(tunnel.Id, tunnel);
            _tunnelsPerPeer[from] = _tunnelsPerPeer.GetValueOrDefault(from) + 1;
            _tunnelsPerPeer[to] = _tunnelsPerPeer.GetValueOrDefault(to) + 1;
        }

        _metrics.RelayTunnelOpened();
        return true;
    }

    /// <summary>Takes a tunnel out of the tables; false when it was already gone.</summary>
    private bool Remove(RelayTunnel tunnel)
    {
        lock (_gate)
        {
            if (!_tunnels.Remove(tunnel.Id))
            {
                return false;
            }

            foreach (string peer in (ReadOnlySpan<string>)[tunnel.From, tunnel.To])
            {
                int left = _tunnelsPerPeer[peer] - 1;
                if (left == 0)
                {
                    _tunnelsPerPeer.Remove(peer);
                }
                else
                {
                    _tunnelsPerPeer[peer] = left;
                }
            }
        }

        tunnel.Timer?.Dispose();
        _metrics.RelayTunnelClosed();
        return true;
    }

    private RelayMessage Refuse(long? id, string code, string message)
    {
        _metrics.RelayInvitationFailed(code);
        return RelayMessage.Failure(id, null, code, message);
    }

    private void Notify(string peerId, RelayMessage message)
    {
        if (_sessions.TryGetValue(peerId, out var session))
        {
            session.TrySend(message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Debug, "Relay control socket of {PeerId} opened")]
        public static partial void SessionOpened(ILogger logger, string peerId);

        [LoggerMessage(5002, LogLevel.Debug, "Relay control socket of {PeerId} closed")]
        public static partial void SessionClosed(ILogger logger, string peerId);

        [LoggerMessage(5003, LogLevel.Debug, "Relay tunnel {Tunnel}: {From} asked for {To}")]
        public static partial void TunnelCreated(ILogger logger, string tunnel, string from, string to);

        [LoggerMessage(5004, LogLevel.Information, "Relay tunnel {Tunnel} ({From} → {To}) failed: {Reason}")]
        public static partial void TunnelFailed(ILogger logger, string tunnel, string from, string to, string reason);

        [LoggerMessage(5005, LogLevel.Debug, "Relay tunnel {Tunnel} closed after {Bytes} bytes: {Status} {Reason}")]
        public static partial void TunnelClosed(ILogger logger, string tunnel, long bytes, int status, string reason);
    }
}
