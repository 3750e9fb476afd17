using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Auth;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Api;

/// <summary>/api/peers: register, heartbeat, unregister, list.</summary>
internal static class PeerEndpoints
{
    public static RouteGroupBuilder MapPeerEndpoints(this RouteGroupBuilder api)
    {
        var peers = api.MapGroup("/peers").WithTags("Peers");
        peers.MapPost("/register/challenge", Challenge)
            .WithName("RegisterChallenge")
            .WithSummary("Issues a single-use nonce and the tracker's public key for the next registration.")
            .RequireRateLimiting(RegisterRateLimit.PolicyName);
        peers.MapPost("/register", RegisterAsync)
            .WithName("RegisterPeer")
            .WithSummary("Registers a peer (or re-registers a restarted one) that proves its key, and returns its token.")
            .Accepts<RegisterRequest>("application/json");
        peers.MapPost("/heartbeat", HeartbeatAsync)
            .WithName("Heartbeat")
            .WithSummary("Keeps a registered peer alive and records its traffic counters and connections; 404 means register again.")
            .Accepts<HeartbeatRequest>("application/json");
        peers.MapDelete("/{id}", Unregister)
            .WithName("UnregisterPeer")
            .WithSummary("Removes a peer and its holdings (with that peer's own token).");
        peers.MapGet("/{id}", Get)
            .WithName("GetPeer")
            .WithSummary("Returns one live peer with its public key; 404 when it is not registered.");
        peers.MapGet("", List)
            .WithName("ListPeers")
            .WithSummary("Lists every live peer.");
        return api;
    }

    private static Ok<RegisterChallengeResponse> Challenge(RegistrationChallenges challenges, TrackerKey key, TrackerOptions options) =>
        TypedResults.Ok(new RegisterChallengeResponse
        {
            Nonce = challenges.Issue(),
            TrackerPublicKey = key.PublicKeyHex,
            ExpiresInSeconds = (int)options.ChallengeLifetime.TotalSeconds,
        });

    private static async Task<Results<Ok<RegisterResponse>, ProblemHttpResult>> RegisterAsync(
        HttpContext context, PeerService peers, RegistrationChallenges challenges, TrackerKey key, Rendezvous.RendezvousServer rendezvous, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context.Request, TrackerApiJsonContext.Default.RegisterRequest, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (PeerRequestValidator.Validate(body.Value!, out var request) is { } error)
        {
            return Problems.BadRequest(error);
        }

        if (ProofProblem(body.Value!, challenges, key) is { } denied)
        {
            return denied;
        }

        var observed = ObservedAddress(context);
        if (peers.Register(request, observed, out var record) == RegisterOutcome.KeyConflict)
        {
            return Problems.Conflict($"peer {request.PeerId} is registered with a different public key");
        }

        var (udpPrimary, udpAlternate) = rendezvous.Ports;
        return TypedResults.Ok(new RegisterResponse
        {
            PeerId = record.PeerId,
            Token = record.Token,
            HeartbeatIntervalSeconds = peers.HeartbeatIntervalSeconds,
            ObservedAddress = record.AddressText,
            UdpRendezvousPorts = udpPrimary > 0 ? [udpPrimary, udpAlternate] : null,
        });
    }

    private static async Task<Results<Ok<HeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(HttpContext context, PeerService peers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context.Request, TrackerApiJsonContext.Default.HeartbeatRequest, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        string? peerId = body.Value!.PeerId;
        if (PeerRequestValidator.PeerIdError("peer_id", peerId) is { } error)
        {
            return Problems.BadRequest(error);
        }

        if (HeartbeatValidator.Validate(body.Value, out var request) is { } statsError)
        {
            return Problems.BadRequest(statsError);
        }

        if (PeerAuthorization.Authorize(context, peers, peerId.ToLowerInvariant(), out var denied) is not { } peer)
        {
            return denied!;
        }

        peers.Heartbeat(peer, request);
        return TypedResults.Ok(new HeartbeatResponse { HeartbeatIntervalSeconds = peers.HeartbeatIntervalSeconds });
    }

    /// <summary>
    /// Null when the request carries an unused nonce of ours and a proof made with the private key of its
    /// public_key; otherwise the problem. Checked on the body exactly as sent, which is what the proof covers.
    /// </summary>
    private static ProblemHttpResult? ProofProblem(RegisterRequest sent, RegistrationChallenges challenges, TrackerKey key)
    {
        if (string.IsNullOrEmpty(sent.Nonce) || string.IsNullOrEmpty(sent.Proof))
        {
            return Problems.BadRequest("nonce and proof are required: get a nonce from POST /api/peers/register/challenge and prove the key (see docs/api.md)");
        }

        if (!challenges.TryConsume(sent.Nonce))
        {
            return Problems.BadRequest("the nonce is unknown, already used or expired: get a new one from POST /api/peers/register/challenge");
        }

        return RegistrationProof.Verify(key.Identity, sent)
            ? null
            : Problems.Forbidden("the proof does not match public_key: a peer can only register with the private key of its own public key");
    }

    private static Results<NoContent, ProblemHttpResult> Unregister(string id, HttpContext context, PeerService peers)
    {
        if (PeerRequestValidator.PeerIdError("peer ID", id) is { } error)
        {
            return Problems.BadRequest(error);
        }

        // Always the peer's own token: an API key lets a client use the tracker, not act for another peer.
        if (PeerAuthorization.Authorize(context, peers, id.ToLowerInvariant(), out var denied) is not { } peer)
        {
            return denied!;
        }

        peers.Remove(peer, PeerService.ReasonUnregistered);
        return TypedResults.NoContent();
    }

    private static Results<Ok<PeerInfo>, ProblemHttpResult> Get(string id, PeerService peers)
    {
        if (PeerRequestValidator.PeerIdError("peer ID", id) is { } error)
        {
            return Problems.BadRequest(error);
        }

        return peers.FindLive(id.ToLowerInvariant()) is { } peer
            ? TypedResults.Ok(peers.ToInfo(peer))
            : Problems.NotFound($"peer {id.ToLowerInvariant()} is not registered");
    }

    private static Ok<PeerListResponse> List(PeerService peers) => TypedResults.Ok(new PeerListResponse { Peers = peers.ListLive() });

    /// <summary>The client's IP as the tracker saw it, IPv4-mapped IPv6 shown as plain IPv4.</summary>
    private static IPAddress ObservedAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.Any;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
