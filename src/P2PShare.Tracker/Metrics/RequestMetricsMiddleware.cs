using Microsoft.AspNetCore.Routing;

namespace P2PShare.Tracker.Metrics;

/// <summary>Counts every request by method, matched route pattern (bounded, unlike raw paths) and status code.</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, TrackerMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            string route = context.GetEndpoint() is RouteEndpoint endpoint ? endpoint.RoutePattern.RawText ?? "unknown" : "unmatched";
            metrics.Request(context.Request.Method, route, context.Response.StatusCode);
        }
    }
}
