using Microsoft.AspNetCore.Http.HttpResults;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Api;

/// <summary><c>GET /health</c>: always open, even when API keys are required elsewhere.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health)
            .WithName("Health")
            .WithTags("Health")
            .WithSummary("Status, peer and file counts, uptime.");
        return app;
    }

    private static Ok<HealthResponse> Health(TrackerStats stats) => TypedResults.Ok(stats.Health());
}
