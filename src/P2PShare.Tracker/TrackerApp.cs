namespace P2PShare.Tracker;

/// <summary>Builds the tracker's web application.</summary>
internal static class TrackerApp
{
    public static WebApplication Create(string address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(ListenUrl(address));
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        return app;
    }

    /// <summary>Turns Go-style ":8080" or "host:port" into a Kestrel URL.</summary>
    public static string ListenUrl(string address)
    {
        if (address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return address;
        }

        return address.StartsWith(':') ? $"http://0.0.0.0{address}" : $"http://{address}";
    }
}
