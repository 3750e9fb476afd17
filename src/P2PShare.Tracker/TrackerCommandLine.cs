using System.CommandLine;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker;

/// <summary>The tracker's command line: flags override environment variables, which override defaults.</summary>
internal static class TrackerCommandLine
{
    public static RootCommand Build()
    {
        var addr = new Option<string?>("--addr", "-addr")
        {
            Description = $"Listen address, e.g. :8080, 127.0.0.1:8080 or [::1]:8080 (env {TrackerOptionsReader.AddrVariable}, default :8080).",
        };
        var heartbeat = new Option<int?>("--heartbeat-interval", "-heartbeat-interval")
        {
            Description = $"Seconds between peer heartbeats; a peer silent for 3 intervals expires (env {TrackerOptionsReader.HeartbeatVariable}, default 30).",
        };
        var maxBody = new Option<long?>("--max-body-bytes", "-max-body-bytes")
        {
            Description = $"Largest request body accepted (env {TrackerOptionsReader.MaxBodyVariable}, default 16777216).",
        };
        var registerRate = new Option<int?>("--register-rate-limit", "-register-rate-limit")
        {
            Description = $"Registrations per minute per client IP, 0 = unlimited (env {TrackerOptionsReader.RegisterRateVariable}, default 60).",
        };
        var root = new RootCommand($"P2PShare tracker: coordinates peers and files. API keys come from {TrackerOptionsReader.ApiKeysVariable} (comma-separated).")
        {
            addr, heartbeat, maxBody, registerRate,
        };
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var flags = new TrackerOptionsReader.Flags(
                parseResult.GetValue(addr),
                parseResult.GetValue(heartbeat),
                parseResult.GetValue(maxBody),
                parseResult.GetValue(registerRate));
            if (!TrackerOptionsReader.TryRead(flags, Environment.GetEnvironmentVariable, out var options, out string? error))
            {
                await Console.Error.WriteLineAsync($"tracker: {error}");
                return 2;
            }

            if (ListenCheck.Problem(options.Listen) is { } busy)
            {
                await Console.Error.WriteLineAsync($"tracker: {busy}");
                return 2;
            }

            await using var app = TrackerApp.Create(options);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        FlagErrors.CheckAll(root);
        return root;
    }
}
