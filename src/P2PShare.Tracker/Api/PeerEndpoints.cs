using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Auth;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Api;

/// <summary>/api/peers: register, heartbeat, unregister, list.</summary>
internal static class PeerEndpoints
{
    public static RouteGroupBuilder MapPeerEndpoints(this RouteGroupBuilder api)
    {
        var peers = api.MapGroup("/peers").WithTags("Peers");
        peers.MapPost("/register", RegisterAsync)
            .WithName("RegisterPeer")
            .WithSummary("Registers a peer (or re-registers a restarted one) and returns its token.")
            .Accepts<RegisterRequest>("application/json")
            .RequireRateLimiting(RegisterRateLimit.PolicyName);
        peers.MapPost("/heartbeat", HeartbeatAsync)
            .WithName("Heartbeat")
            .WithSummary("Keeps a registered peer alive; 404 means register again.")
            .Accepts<HeartbeatRequest>("application/json");
        peers.MapDelete("/{id}", Unregister)
            .WithName("UnregisterPeer")
            .WithSummary("Removes a peer and its holdings (its own token, or any API key).");
        peers.MapGet("", List)
            .WithName("ListPeers")
            .WithSummary("Lists every live peer.");
        return api;
    }

    private static async Task<Results<Ok<RegisterResponse>, ProblemHttpResult>> RegisterAsync(HttpContext context, PeerService peers, CancellationToken cancellationToken)
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

        var observed = ObservedAddress(context);
        if (peers.Register(request, observed, out var record) == RegisterOutcome.KeyConflict)
        {
            return Problems.Conflict($"peer {request.PeerId} is registered with a different public key");
        }

        return TypedResults.Ok(new RegisterResponse
        {
            PeerId = record.PeerId,
            Token = record.Token,
            HeartbeatIntervalSeconds = peers.HeartbeatIntervalSeconds,
            ObservedAddress = record.AddressText,
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

        if (PeerAuthorization.Authorize(context, peers, peerId.ToLowerInvariant(), out var denied) is not { } peer)
        {
            return denied!;
        }

        peers.Heartbeat(peer);
        return TypedResults.Ok(new HeartbeatResponse { HeartbeatIntervalSeconds = peers.HeartbeatIntervalSeconds });
    }

    private static Results<NoContent, ProblemHttpResult> Unregister(string id, HttpContext context, PeerService peers, ApiKeySet apiKeys)
    {
        if (PeerRequestValidator.PeerIdError("peer ID", id) is { } error)
        {
            return Problems.BadRequest(error);
        }

        string peerId = id.ToLowerInvariant();
        PeerRecord? peer;
        if (apiKeys.IsEnabled)
        {
            // The API key middleware let this request through, so it carries an operator's key.
            peer = peers.Find(peerId);
            if (peer is null)
            {
                return Problems.NotFound($"peer {peerId} is not registered");
            }
        }
        else if ((peer = PeerAuthorization.Authorize(context, peers, peerId, out var denied)) is null)
        {
            return denied!;
        }

        peers.Remove(peer, PeerService.ReasonUnregistered);
        return TypedResults.NoContent();
    }

    private static Ok<PeerListResponse> List(PeerService peers) => TypedResults.Ok(new PeerListResponse { Peers = peers.ListLive() });

    /// <summary>The client's IP as the tracker saw it, IPv4-mapped IPv6 shown as plain IPv4.</summary>
    private static IPAddress ObservedAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.Any;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
