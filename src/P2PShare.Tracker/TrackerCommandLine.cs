using System.CommandLine;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Relay;

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
        var registerBurst = new Option<int?>("--register-burst", "-register-burst")
        {
            Description = $"Registrations one client IP may make at once before the steady rate applies (env {TrackerOptionsReader.RegisterBurstVariable}, default 1000).",
        };
        var keyFile = new Option<string?>("--key-file", "-key-file")
        {
            Description = $"The tracker's static X25519 key, created 0600 on first start (env {TrackerOptionsReader.KeyFileVariable}, default tracker.key).",
        };
        var tlsCert = new Option<string?>("--tls-cert", "-tls-cert") { Description = $"PEM certificate; with -tls-key the tracker serves HTTPS (env {TrackerOptionsReader.TlsCertVariable})." };
        var tlsKey = new Option<string?>("--tls-key", "-tls-key") { Description = $"PEM private key of the certificate (env {TrackerOptionsReader.TlsKeyVariable})." };
        var proxies = new Option<string?>("--trusted-proxies", "-trusted-proxies")
        {
            Description = $"Comma-separated IPs or CIDRs whose X-Forwarded-For/-Proto are believed (env {TrackerOptionsReader.TrustedProxiesVariable}, default none).",
        };
        var filesPerPeer = new Option<int?>("--max-files-per-peer", "-max-files-per-peer") { Description = $"Files one peer may hold at once (env {TrackerOptionsReader.MaxFilesPerPeerVariable}, default 10000)." };
        var maxFiles = new Option<int?>("--max-files", "-max-files") { Description = $"Files in the catalogue (env {TrackerOptionsReader.MaxFilesVariable}, default 100000)." };
        var manifestBytes = new Option<long?>("--max-manifest-bytes", "-max-manifest-bytes")
        {
            Description = $"Manifest bytes kept, 64 per chunk hash plus the name (env {TrackerOptionsReader.MaxManifestBytesVariable}, default 268435456).",
        };
        var udpAddr = new Option<string?>("--udp-addr", "-udp-addr")
        {
            Description = $"UDP rendezvous address for hole punching, or off; the next port number serves as the second port (env {TrackerOptionsReader.UdpAddrVariable}, default the listen address's port over UDP).",
        };
        var root = new RootCommand($"P2PShare tracker: coordinates peers and files. API keys come from {TrackerOptionsReader.ApiKeysVariable} (comma-separated) or {TrackerOptionsReader.ApiKeysFileVariable} (one per line).")
        {
            addr, heartbeat, maxBody, registerRate, registerBurst, keyFile, tlsCert, tlsKey, proxies, filesPerPeer, maxFiles, manifestBytes, udpAddr,
        };
        var relayFlags = RelayFlags.AddTo(root);
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var flags = new TrackerOptionsReader.Flags(
                parseResult.GetValue(addr),
                parseResult.GetValue(heartbeat),
                parseResult.GetValue(maxBody),
                parseResult.GetValue(registerRate),
                parseResult.GetValue(registerBurst),
                parseResult.GetValue(keyFile),
                parseResult.GetValue(tlsCert),
                parseResult.GetValue(tlsKey),
                parseResult.GetValue(proxies),
                parseResult.GetValue(filesPerPeer),
                parseResult.GetValue(maxFiles),
                parseResult.GetValue(manifestBytes),
                parseResult.GetValue(udpAddr));
            if (!TrackerOptionsReader.TryRead(flags, Environment.GetEnvironmentVariable, out var options, out string? error))
            {
                await Console.Error.WriteLineAsync($"tracker: {error}");
                return 2;
            }

            if (!RelayOptionsReader.TryRead(relayFlags.Read(parseResult), Environment.GetEnvironmentVariable, out var relay, out error))
            {
                await Console.Error.WriteLineAsync($"tracker: {error}");
                return 2;
            }

            options = options with { Relay = relay };
            if (ListenCheck.Problem(options.Listen) is { } busy)
            {
                await Console.Error.WriteLineAsync($"tracker: {busy}");
                return 2;
            }

            WebApplication app;
            try
            {
                app = TrackerApp.Create(options);
            }
            catch (InvalidDataException ex)
            {
                await Console.Error.WriteLineAsync($"tracker: {ex.Message}");
                return 2;
            }

            await using (app)
            {
                await app.RunAsync(cancellationToken);
            }

            return 0;
        });
        FlagErrors.CheckAll(root);
        return root;
    }
}
