using P2PShare.Tracker.Auth;
using P2PShare.Tracker.Events;

namespace P2PShare.Tracker.Dashboard;

/// <summary>
/// <c>/dashboard</c>: the page and its assets, and the sign-in that turns an API key into an HttpOnly,
/// SameSite=Strict cookie (the key never travels in a URL). The page reads everything else from /api and /ws.
/// </summary>
internal static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (DashboardAssets assets, HttpContext context) => Serve(assets, "dashboard.html", context))
            .WithName("Dashboard")
            .ExcludeFromDescription();
        app.MapGet("/dashboard/{asset}", (string asset, DashboardAssets assets, HttpContext context) => Serve(assets, asset, context))
            .ExcludeFromDescription();
        app.MapGet("/dashboard/session", Session).ExcludeFromDescription();
        app.MapPost("/dashboard/login", LoginAsync).ExcludeFromDescription();
        app.MapPost("/dashboard/logout", Logout).ExcludeFromDescription();
        app.MapGet("/", () => Results.Redirect("/dashboard")).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(DashboardAssets assets, string name, HttpContext context)
    {
        DashboardHeaders.Apply(context.Response);
        return assets.Find(name) is { } asset ? Results.Bytes(asset.Content, asset.ContentType) : Results.NotFound();
    }

    /// <summary>Whether the page must ask for a key, and whether its cookie holds a valid one (always 200, so the page logs no error).</summary>
    private static IResult Session(ApiKeySet keys, HttpContext context)
    {
        DashboardHeaders.Apply(context.Response);
        bool signedIn = !keys.IsEnabled
            || (context.Request.Cookies.TryGetValue(ApiKeyMiddleware.CookieName, out string? key) && !string.IsNullOrEmpty(key) && keys.Contains(key));
        return Results.Text($$"""{"login_required":{{Json(keys.IsEnabled)}},"signed_in":{{Json(signedIn)}}}""", "application/json");
    }

    /// <summary>Checks the form field <c>key</c>; a valid key is stored in the cookie (204), anything else is refused (401).</summary>
    private static async Task<IResult> LoginAsync(ApiKeySet keys, HttpContext context, CancellationToken cancellationToken)
    {
        DashboardHeaders.Apply(context.Response);
        if (!EventStreamEndpoint.IsSameOrigin(context.Request))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "sign in from the tracker's own dashboard page");
        }

        if (!context.Request.HasFormContentType)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "send the key as a form field named key");
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        string key = form["key"].ToString();
        if (!keys.IsEnabled)
        {
            return Results.NoContent();
        }

        if (key.Length == 0 || !keys.Contains(key))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "the API key is not valid");
        }

        context.Response.Cookies.Append(ApiKeyMiddleware.CookieName, key, CookieOptions(context.Request));
        return Results.NoContent();
    }

    private static IResult Logout(HttpContext context)
    {
        DashboardHeaders.Apply(context.Response);
        context.Response.Cookies.Delete(ApiKeyMiddleware.CookieName, CookieOptions(context.Request));
        return Results.NoContent();
    }

    private static CookieOptions CookieOptions(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        IsEssential = true,
    };

    private static string Json(bool value) => value ? "true" : "false";
}
