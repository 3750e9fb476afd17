using Microsoft.AspNetCore.Http.HttpResults;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Api;

/// <summary>/api/stats: the network's counters now and over the last hour (what the dashboard shows).</summary>
internal static class StatsEndpoints
{
    public static RouteGroupBuilder MapStatsEndpoints(this RouteGroupBuilder api)
    {
        var stats = api.MapGroup("/stats").WithTags("Stats");
        stats.MapGet("", (TrackerStats tracker) => TypedResults.Ok(tracker.Snapshot()))
            .WithName("GetStats")
            .WithSummary("Peers, files, bytes shared, relay tunnels and the network's transfer rate, as the stats event carries them.");
        stats.MapGet("/history", History)
            .WithName("GetStatsHistory")
            .WithSummary("Samples of peers online and the network's transfer rate over the last hour, oldest first.");
        return api;
    }

    private static Ok<NetworkHistoryResponse> History(NetworkHistory history) =>
        TypedResults.Ok(new NetworkHistoryResponse { IntervalSeconds = history.IntervalSeconds, Samples = history.Samples() });
}
