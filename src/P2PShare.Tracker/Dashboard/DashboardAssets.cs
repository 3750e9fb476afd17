using System.Reflection;

namespace P2PShare.Tracker.Dashboard;

/// <summary>The dashboard's page, script and style sheet, embedded in the tracker (no files to deploy, no CDN).</summary>
internal sealed class DashboardAssets
{
    private readonly Dictionary<string, (byte[] Content, string ContentType)> _assets = new(StringComparer.Ordinal)
    {
        ["dashboard.html"] = (Load("dashboard.html"), "text/html; charset=utf-8"),
        ["dashboard.js"] = (Load("dashboard.js"), "text/javascript; charset=utf-8"),
        ["dashboard.css"] = (Load("dashboard.css"), "text/css; charset=utf-8"),
    };

    /// <summary>The asset with this file name, or null for any other name.</summary>
    public (byte[] Content, string ContentType)? Find(string name) => _assets.TryGetValue(name, out var asset) ? asset : null;

    private static byte[] Load(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Dashboard." + name)
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded in the tracker");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
