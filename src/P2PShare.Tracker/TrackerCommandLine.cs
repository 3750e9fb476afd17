using System.CommandLine;

namespace P2PShare.Tracker;

/// <summary>The tracker's command line: flags override environment variables, which override defaults.</summary>
internal static class TrackerCommandLine
{
    public static RootCommand Build()
    {
        var addr = new Option<string?>("--addr", "-addr")
        {
            Description = "Listen address, e.g. :8080 or 127.0.0.1:8080 (env TRACKER_ADDR, default :8080).",
        };
        var root = new RootCommand("P2PShare tracker: coordinates peers and files.") { addr };
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            string address = parseResult.GetValue(addr) ?? Environment.GetEnvironmentVariable("TRACKER_ADDR") ?? ":8080";
            var app = TrackerApp.Create(address);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return root;
    }
}
