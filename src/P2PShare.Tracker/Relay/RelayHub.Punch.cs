using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.Protocol.Rendezvous;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Models;

namespace P2PShare.Tracker.Relay;

/// <summary>
/// Hole-punch coordination over the control sockets: a peer asks to reach another; both get the other's UDP
/// endpoint as the rendezvous observed it (never an address a peer supplies, so nobody can point a peer at a third
/// party) and one fresh punch token, and start punching at once. The side whose NAT maps endpoint-dependently
/// opens the stream, because only its packets can reach an endpoint-independent peer from an unpredicted port.
/// </summary>
internal sealed partial class RelayHub
{
    /// <summary>A rendezvous observation older than this is not used: the NAT mapping may have expired (30 s in the lab).</summary>
    public static readonly TimeSpan UdpObservationLifetime = TimeSpan.FromSeconds(45);

    /// <summary>One punch request per asker per this interval; more are refused rather than queued at the target.</summary>
    public static readonly TimeSpan PunchInterval = TimeSpan.FromMilliseconds(200);

    private readonly ConditionalWeakTable<ControlSession, StrongBox<long>> _lastPunch = [];

    private RelayMessage Punch(ControlSession session, RelayMessage request)
    {
        string from = session.PeerId;
        string? target = request.Target;
        if (!PeerIds.IsValid(target) || target == from)
        {
            return Refuse(request.Id, RelayErrorCodes.BadRequest, "punch_request needs a target: another peer's ID of 40 hex characters");
        }

        var last = _lastPunch.GetOrCreateValue(session);
        long now = _time.GetTimestamp();
        if (last.Value != 0 && _time.GetElapsedTime(last.Value, now) < PunchInterval)
        {
            return Refuse(request.Id, RelayErrorCodes.Limit, $"at most one punch request per {PunchInterval.TotalMilliseconds:0} ms");
        }

        last.Value = now;
        if (_peers.FindLive(target) is not { } targetPeer)
        {
            return Refuse(request.Id, RelayErrorCodes.UnknownPeer, $"peer {target} is not registered with this tracker");
        }

        if (_peers.FindLive(from) is not { } askerPeer || Fresh(askerPeer.Udp) is not { } askerUdp)
        {
            return Refuse(request.Id, RelayErrorCodes.NoUdp, "the tracker has no recent UDP rendezvous from you");
        }

        if (Fresh(targetPeer.Udp) is not { } targetUdp)
        {
            return Refuse(request.Id, RelayErrorCodes.NoUdp, $"the tracker has no recent UDP rendezvous from peer {target}");
        }

        if (!_sessions.TryGetValue(target, out var targetSession))
        {
            return Refuse(request.Id, RelayErrorCodes.NotAccepting, $"peer {target} has no control socket open, so it cannot be told to punch");
        }

        string token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        bool targetOpens = targetUdp.Mapping == NatMapping.EndpointDependent && askerUdp.Mapping != NatMapping.EndpointDependent;
        var offer = new RelayMessage
        {
            Type = RelayMessageTypes.Punch,
            From = from,
            Endpoint = askerUdp.Endpoint.ToString(),
            PunchToken = token,
            Hello = targetOpens,
            PublicKey = askerPeer.PublicKey,
        };
        if (!targetSession.TrySend(offer))
        {
            return Refuse(request.Id, RelayErrorCodes.NotAccepting, $"peer {target} is not reading its control socket");
        }

        Log.PunchCoordinated(_logger, from, askerUdp.Endpoint.ToString(), target, targetUdp.Endpoint.ToString());
        return new RelayMessage
        {
            Type = RelayMessageTypes.Punch,
            Id = request.Id,
            Target = target,
            Endpoint = targetUdp.Endpoint.ToString(),
            PunchToken = token,
            Hello = !targetOpens,
            PublicKey = targetPeer.PublicKey,
        };
    }

    private UdpObservation? Fresh(UdpObservation? observation) =>
        observation is not null && _time.GetUtcNow() - observation.SeenAt <= UdpObservationLifetime ? observation : null;

    private static partial class Log
    {
        [LoggerMessage(5010, LogLevel.Debug, "Hole punch: {From} ({FromEndpoint}) ↔ {To} ({ToEndpoint})")]
        public static partial void PunchCoordinated(ILogger logger, string from, string fromEndpoint, string to, string toEndpoint);
    }
}
