using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Api;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Events;

/// <summary>The WebSocket event feed <c>/ws</c>: a stats event on connect, then every event as it happens.</summary>
internal static class EventStreamEndpoint
{
    public const string Path = "/ws";

    public static IEndpointRouteBuilder MapEventStream(this IEndpointRouteBuilder app)
    {
        app.Map(Path, StreamAsync)
            .WithName("Events")
            .WithSummary("WebSocket feed of tracker events (peer_joined, peer.updated, peer_left, file_announced, file_removed, stats).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> StreamAsync(HttpContext context, EventHub events, TrackerStats stats, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problems.BadRequest($"{Path} is a WebSocket endpoint: send a GET with an Upgrade: websocket header");
        }

        if (!IsSameOrigin(context.Request))
        {
            return Problems.Forbidden($"a WebSocket from origin {TextChecks.Quote(context.Request.Headers.Origin.ToString())} is refused: {Path} accepts only pages served by this tracker");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var hello = events.Serialize(TrackerEventTypes.Stats, stats.Snapshot(), TrackerApiJsonContext.Default.StatsEvent);
        using var subscription = events.Subscribe(hello);
        await new EventStreamSession(socket, subscription).RunAsync(lifetime.ApplicationStopping, context.RequestAborted);
        return Results.Empty;
    }

    /// <summary>
    /// A browser always sends Origin on a WebSocket upgrade, and would send the API key cookie along from any page
    /// (cross-site WebSocket hijacking), so a present Origin must name this tracker's own host and port.
    /// Non-browser clients send no Origin and are let through (they need a key like any other client).
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
