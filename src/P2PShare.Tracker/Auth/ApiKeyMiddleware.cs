using Microsoft.AspNetCore.Mvc;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Auth;

/// <summary>
/// When API keys are configured, requires one on /api/*, /ws and /relay: an <c>X-API-Key</c> header, an
/// <c>Authorization: Bearer</c> header, or (for browsers, which cannot set headers on a WebSocket) an
/// <c>api_key</c> query parameter or <c>p2pshare_api_key</c> cookie. Everything else (/health, /metrics,
/// /dashboard, /openapi) stays open.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeySet keys, IProblemDetailsService problems)
{
    public const string QueryParameter = "api_key";
    public const string CookieName = "p2pshare_api_key";

    public Task InvokeAsync(HttpContext context)
    {
        if (!keys.IsEnabled || !IsProtected(context.Request.Path))
        {
            return next(context);
        }

        string? presented = Presented(context.Request);
        if (presented is not null && keys.Contains(presented))
        {
            return next(context);
        }

        string detail = presented is null
            ? $"an API key is required: send it in {TrackerHeaders.ApiKey} or Authorization: Bearer"
            : "the API key is not valid";
        return RejectAsync(context, detail);
    }

    public static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/ws", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/relay", StringComparison.OrdinalIgnoreCase);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[TrackerHeaders.ApiKey] is [{ Length: > 0 } header])
        {
            return header;
        }

        if (request.Headers.Authorization is [{ } authorization] && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (request.Query[QueryParameter] is [{ Length: > 0 } query])
        {
            return query;
        }

        return request.Cookies.TryGetValue(CookieName, out string? cookie) && cookie.Length > 0 ? cookie : null;
    }

    private async Task RejectAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = detail,
            },
        });
    }
}
