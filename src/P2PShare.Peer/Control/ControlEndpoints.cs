using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Node;

namespace P2PShare.Peer.Control;

/// <summary>The control API's routes, each a thin call into the node's <see cref="INodeApi"/>.</summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, PeerNode node)
    {
        INodeApi api = new LocalNodeApi(node);
        app.MapGet("/status", (CancellationToken ct) => Run(() => api.StatusAsync(ct)));
        app.MapGet("/files", (CancellationToken ct) => Run(() => api.SharedAsync(ct)));
        app.MapPost("/shares", (ShareRequest request, CancellationToken ct) => Run(() => api.ShareAsync(request.Path, ct)));
        app.MapGet("/downloads", (CancellationToken ct) => Run(() => api.DownloadsAsync(ct)));
        app.MapGet("/downloads/{hash}", (string hash, int? wait_ms, CancellationToken ct) =>
            Run(() => wait_ms is int wait ? api.WaitDownloadAsync(hash, TimeSpan.FromMilliseconds(wait), ct) : api.DownloadAsync(hash, ct)));
        app.MapPost("/downloads", (StartDownloadRequest request, CancellationToken ct) => Run(() => api.StartDownloadAsync(request.Hash, request.OutputDir, ct)));
        app.MapPost("/downloads/{hash}/pause", (string hash, CancellationToken ct) => Run(() => api.PauseAsync(hash, ct)));
        app.MapPost("/downloads/{hash}/resume", (string hash, CancellationToken ct) => Run(() => api.ResumeAsync(hash, ct)));
        app.MapGet("/peers", (CancellationToken ct) => Run(() => api.ConnectionsAsync(ct)));
        app.MapGet("/network/files", (string? q, int? limit, int? offset, CancellationToken ct) =>
            Run(() => api.NetworkFilesAsync(q, limit ?? TrackerLimits.MaxPageSize, offset ?? 0, ct)));
        app.MapGet("/limits", (CancellationToken ct) => Run(() => api.LimitsAsync(ct)));
        app.MapPost("/limits", (SetLimitsRequest request, CancellationToken ct) => Run(() => api.SetLimitsAsync(request.Up, request.Down, ct)));
        app.MapGet("/metrics", () => Results.Text(NodeMetrics.Render(node), "text/plain; version=0.0.4"));
    }

    private static async Task<IResult> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return Results.Json(await action(), ControlJson.Options);
        }
        catch (KeyNotFoundException ex)
        {
            return Results.Json(new ControlError(ex.Message), ControlJson.Options, statusCode: StatusCodes.Status404NotFound);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Json(new ControlError(ex.Message), ControlJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
