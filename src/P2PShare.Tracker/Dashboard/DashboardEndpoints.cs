namespace P2PShare.Tracker.Dashboard;

/// <summary>
/// <c>/dashboard</c>: a placeholder page until the dashboard's own issue replaces it, so the route and its link
/// from <c>/</c> already exist.
/// </summary>
internal static class DashboardEndpoints
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>P2PShare tracker</title></head>
        <body>
        <h1>P2PShare tracker</h1>
        <p>The dashboard is not built yet. Meanwhile:</p>
        <ul>
        <li><a href="/health">/health</a>: status and counts</li>
        <li><a href="/api/peers">/api/peers</a> and <a href="/api/files">/api/files</a>: peers and files (may need an API key)</li>
        <li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
        <li><a href="/openapi/v1.json">/openapi/v1.json</a>: the API description</li>
        </ul>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", () => Results.Content(Page, "text/html; charset=utf-8"))
            .WithName("Dashboard")
            .WithSummary("The web dashboard (a placeholder for now).")
            .ExcludeFromDescription();
        app.MapGet("/", () => Results.Redirect("/dashboard")).ExcludeFromDescription();
        return app;
    }
}
