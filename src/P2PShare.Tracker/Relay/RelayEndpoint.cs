using System.Net.WebSockets;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Api;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Relay;

/// <summary>
/// <c>/relay?peer_id=…</c> opens a peer's control socket, <c>/relay?peer_id=…&amp;tunnel=…</c> one end of a tunnel.
/// Both need the peer's token from registration (<see cref="TrackerHeaders.PeerToken"/>), so a peer can only ever
/// open its own endpoint; refusals before the upgrade are problem details (400, 401, 403, 404).
/// </summary>
internal static class RelayEndpoint
{
    private const int MaxTunnelIdLength = 64;

    public static IEndpointRouteBuilder MapRelay(this IEndpointRouteBuilder app)
    {
        app.Map(RelayLimits.Path, HandleAsync)
            .WithName("Relay")
            .WithSummary("WebSocket relay: a peer's control socket (signalling), or one end of a tunnel with tunnel=….")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, PeerService peers, RelayHub hub, IHostApplicationLifetime lifetime)
    {
        string? peerId = context.Request.Query[RelayLimits.PeerIdParameter];
        string? tunnel = context.Request.Query[RelayLimits.TunnelParameter];
        if (!PeerIds.IsValid(peerId))
        {
            return Problems.BadRequest($"{RelayLimits.Path} needs ?{RelayLimits.PeerIdParameter}= with a peer ID of {PeerIds.HexLength} hex characters");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problems.BadRequest($"{RelayLimits.Path} is a WebSocket endpoint: send a GET with an Upgrade: websocket header");
        }

        if (PeerAuthorization.Authorize(context, peers, peerId, out var problem) is null)
        {
            return problem!;
        }

        if (tunnel is not null && (tunnel.Length > MaxTunnelIdLength || !hub.HasTunnelFor(peerId, tunnel)))
        {
            return Problems.NotFound($"no relay tunnel {tunnel[..Math.Min(tunnel.Length, MaxTunnelIdLength)]} is waiting for peer {peerId}");
        }

        // Control sockets are always read, so a missing pong means a dead peer. Tunnel sockets are not read while
        // the other end is not reading (flow control), so they get pings but no pong deadline: the idle timeout
        // ends a dead tunnel instead.
        var accept = new WebSocketAcceptContext { KeepAliveInterval = hub.Options.KeepAliveInterval };
        if (tunnel is null)
        {
            accept.KeepAliveTimeout = hub.Options.KeepAliveInterval;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(accept);
        if (tunnel is null)
        {
            await hub.RunControlAsync(peerId, socket, lifetime.ApplicationStopping);
        }
        else
        {
            await hub.JoinTunnelAsync(peerId, tunnel, socket, lifetime.ApplicationStopping);
        }

        return Results.Empty;
    }
}
