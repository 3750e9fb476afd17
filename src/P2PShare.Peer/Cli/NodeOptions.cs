using System.CommandLine;
using P2PShare.Core.Throttling;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Control;

namespace P2PShare.Peer.Cli;

/// <summary>The flags every verb that runs or reaches a node accepts; flag &gt; environment variable &gt; default.</summary>
internal sealed class NodeOptions
{
    public Option<int?> Port { get; } = new Option<int?>("--port", "-port") { Description = "TCP port for other peers (env PEER_PORT, default 6881; 0 = any free port).", Recursive = true }.WholeNumber(0, 65535);

    public Option<string?> Data { get; } = new("--data", "-data") { Description = "Data directory (env DATA_DIR, default ./data).", Recursive = true };

    public Option<string?> Tracker { get; } = new("--tracker", "-tracker") { Description = "Tracker URL (env TRACKER_URL, default http://localhost:8080).", Recursive = true };

    public Option<string?> ApiKey { get; } = new("--api-key", "-api-key") { Description = "API key for the tracker (env API_KEY).", Recursive = true };

    public Option<string?> ApiKeyFile { get; } = new("--api-key-file", "-api-key-file") { Description = "File whose first line is the tracker's API key, not visible in the process list (env API_KEY_FILE).", Recursive = true };

    public Option<string?> TrackerPin { get; } = new("--tracker-pin", "-tracker-pin") { Description = "Accept only a tracker certificate with this key, sha256/<base64> (env TRACKER_PIN).", Recursive = true };

    public Option<string?> Private { get; } = new("--private", "-private") { Description = "Accept only peers the tracker lists as registered: on, off, auto = on with an API key (env PRIVATE_NETWORK, default auto).", Recursive = true };

    public Option<string?> Relay { get; } = new("--relay", "-relay") { Description = "Accept and dial connections through the tracker's relay when nothing direct works: on or off (env RELAY, default on).", Recursive = true };

    public Option<int?> AdvertisePort { get; } = new Option<int?>("--advertise-port", "-advertise-port") { Description = "P2P port to register with the tracker when it differs from --port, e.g. behind a port forward (env ADVERTISE_PORT, default the listening port).", Recursive = true }.WholeNumber(1, 65535);

    public Option<bool> Daemon { get; } = new("--daemon", "-daemon") { Description = "Share DATA_DIR automatically, no terminal input (env DAEMON=1).", Recursive = true };

    public Option<string?> ApiAddr { get; } = new("--api-addr", "-api-addr") { Description = "Control API address, loopback only (env PEER_API_ADDR, default 127.0.0.1:0).", Recursive = true };

    public Option<int?> MaxPeers { get; } = new Option<int?>("--max-peers", "-max-peers") { Description = "Holders to download one file from at once (env MAX_PEERS, default 8).", Recursive = true }.WholeNumber(1, MaxPeersLimit);

    public Option<string?> LimitUp { get; } = new("--limit-up", "-limit-up") { Description = "Upload limit for all peers together, e.g. 10MB or 512KiB (env LIMIT_UP, else BANDWIDTH_LIMIT; 0 = unlimited).", Recursive = true };

    public Option<string?> LimitDown { get; } = new("--limit-down", "-limit-down") { Description = "Download limit for all peers together (env LIMIT_DOWN, else BANDWIDTH_LIMIT; 0 = unlimited).", Recursive = true };

    public Option<int?> MaxLinks { get; } = new Option<int?>("--max-links", "-max-links") { Description = "Peer connections open at once, inbound and outbound (env MAX_LINKS, default 256).", Recursive = true }.WholeNumber(1, MaxLinksLimit);

    private const int MaxPeersLimit = 1024;

    private const int MaxLinksLimit = 65_536;

    public Option<string?> Dht { get; } = new("--dht", "-dht") { Description = "Run a Kademlia DHT node: on or off (env DHT, default on).", Recursive = true };

    public Option<int?> DhtPort { get; } = new Option<int?>("--dht-port", "-dht-port") { Description = "UDP port of the DHT node (env DHT_PORT, default the P2P port; 0 = any free port).", Recursive = true }.WholeNumber(0, 65535);

    public Option<string?> Bootstrap { get; } = new("--bootstrap", "-bootstrap") { Description = "DHT nodes to join through, host:port[,...] (env DHT_BOOTSTRAP).", Recursive = true };

    public IEnumerable<Option> All => [Port, Data, Tracker, ApiKey, ApiKeyFile, TrackerPin, Private, Relay, AdvertisePort, Daemon, ApiAddr, MaxPeers, MaxLinks, LimitUp, LimitDown, Dht, DhtPort, Bootstrap];

    /// <summary>Resolves and checks every setting; a bad one throws <see cref="ArgumentException"/> naming it.</summary>
    public PeerOptions Resolve(ParseResult parseResult)
    {
        var defaults = new PeerOptions();
        var trackerUrl = FlagOrEnv(parseResult, Tracker, "TRACKER_URL");
        var options = defaults with
        {
            Port = parseResult.GetValue(Port) ?? EnvInt("PEER_PORT", 0, 65535) ?? defaults.Port,
            DataDir = parseResult.GetValue(Data) ?? Env("DATA_DIR") ?? defaults.DataDir,
            TrackerUrl = trackerUrl.Text is null ? defaults.TrackerUrl : Checked(trackerUrl, "an http:// or https:// URL such as http://localhost:8080", ParseTrackerUrl),
            ApiKey = parseResult.GetValue(ApiKey) ?? Env("API_KEY") ?? Checked(FlagOrEnv(parseResult, ApiKeyFile, "API_KEY_FILE"), "a readable file whose first non-blank line is the key", ReadKeyFile),
            TrackerPin = Checked(FlagOrEnv(parseResult, TrackerPin, "TRACKER_PIN"), "sha256/<base64 of the 32-byte SHA-256 of the certificate's public key>", CheckPin),
            Relay = Checked(FlagOrEnv(parseResult, Relay, "RELAY"), OnOrOff, text => OnOff(text, defaults.Relay)),
            AdvertisePort = parseResult.GetValue(AdvertisePort) ?? EnvInt("ADVERTISE_PORT", 1, 65535) ?? 0,
            Daemon = parseResult.GetValue(Daemon) || Env("DAEMON") is "1" or "true",
            ApiAddr = Checked(FlagOrEnv(parseResult, ApiAddr, "PEER_API_ADDR"), "a loopback address such as 127.0.0.1:7000", text => CheckLoopback(text ?? defaults.ApiAddr)),
            ListenHost = Env("PEER_LISTEN") ?? defaults.ListenHost,
            RescanInterval = EnvInt("RESCAN_INTERVAL", 1, 86_400) is int seconds ? TimeSpan.FromSeconds(seconds) : defaults.RescanInterval,
            Name = Env("PEER_NAME") ?? defaults.Name,
            MaxLinks = parseResult.GetValue(MaxLinks) ?? EnvInt("MAX_LINKS", 1, MaxLinksLimit) ?? defaults.MaxLinks,
            PunchDelay = EnvInt("PUNCH_DELAY", 0, 3600) is int punchDelay ? TimeSpan.FromSeconds(punchDelay) : defaults.PunchDelay,
            LimitUp = Rate(parseResult.GetValue(LimitUp), "-limit-up", "LIMIT_UP"),
            LimitDown = Rate(parseResult.GetValue(LimitDown), "-limit-down", "LIMIT_DOWN"),
            Downloads = defaults.Downloads with
            {
                MaxPeers = parseResult.GetValue(MaxPeers) ?? EnvInt("MAX_PEERS", 1, MaxPeersLimit) ?? defaults.Downloads.MaxPeers,
                StallTimeout = EnvInt("DOWNLOAD_STALL_TIMEOUT", 1, 86_400) is int stall ? TimeSpan.FromSeconds(stall) : defaults.Downloads.StallTimeout,
            },
        };
        options = options with
        {
            Dht = Checked(FlagOrEnv(parseResult, Dht, "DHT"), OnOrOff, text => OnOff(text, defaults.Dht)),
            DhtPort = parseResult.GetValue(DhtPort) ?? EnvInt("DHT_PORT", 0, 65535),
            DhtBootstrap = Checked(FlagOrEnv(parseResult, Bootstrap, "DHT_BOOTSTRAP"), "host:port entries separated by commas", Node.DhtService.ParseBootstrap),
        };
        bool hasApiKey = options.ApiKey is not null;
        options = options with { PrivateNetwork = Checked(FlagOrEnv(parseResult, Private, "PRIVATE_NETWORK"), "on, off or auto (auto: on with an API key)", text => PrivateMode(text, hasApiKey)) };
        Check(System.Net.IPAddress.TryParse(options.ListenHost, out _), $"PEER_LISTEN '{options.ListenHost}' is not an IP address (use 0.0.0.0, :: or one of this machine's addresses)");
        return options;
    }

    private const string OnOrOff = "on or off";

    /// <summary>A setting's text from its flag, else its variable, with the name it came under, so an error names what the user typed.</summary>
    private static (string? Text, string Name) FlagOrEnv(ParseResult parseResult, Option<string?> flag, string variable) =>
        parseResult.GetValue(flag) is { } value ? (value, FlagValues.DisplayName(flag)) : (Env(variable), variable);

    /// <summary>
    /// Reads a setting with <paramref name="parse"/> (which may use a lower layer's parser); a value it refuses is
    /// reported in one line naming the flag or variable and the form expected, as the parser reports numbers.
    /// </summary>
    private static T Checked<T>((string? Text, string Name) setting, string expected, Func<string?, T> parse)
    {
        try
        {
            return parse(setting.Text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            string why = e is ArgumentException ? "" : $" ({e.Message})";
            throw new ArgumentException(FlagValues.Invalid(setting.Text ?? "", setting.Name, expected) + why, e);
        }
    }

    private static string? CheckPin(string? text)
    {
        if (text is not null)
        {
            Client.TrackerCertificatePin.Parse(text);
        }

        return text;
    }

    private static string CheckLoopback(string address)
    {
        ControlServer.ParseLoopback(address);
        return address;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }

    private static Uri ParseTrackerUrl(string? value)
    {
        string withScheme = value!.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return Uri.TryCreate(withScheme.EndsWith('/') ? withScheme : withScheme + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException("not an http or https URL");
    }

    /// <summary>The first non-blank line of the file: the key, kept out of the process list and the environment.</summary>
    private static string? ReadKeyFile(string? path)
    {
        if (path is null)
        {
            return null;
        }

        string? key = File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return key ?? throw new ArgumentException("the file holds no key");
    }

    private static bool PrivateMode(string? text, bool hasApiKey) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => hasApiKey,
        "on" or "1" or "true" => true,
        "off" or "0" or "false" => false,
        _ => throw new ArgumentException("not on, off or auto"),
    };

    private static bool OnOff(string? text, bool fallback) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => fallback,
        "on" or "1" or "true" => true,
        "off" or "0" or "false" => false,
        _ => throw new ArgumentException("not on or off"),
    };

    /// <summary>A limit from its flag, else its variable, else BANDWIDTH_LIMIT; an error names the one that was used.</summary>
    private static long Rate(string? flag, string flagName, string variable)
    {
        var (text, source) = flag is not null ? (flag, flagName)
            : Env(variable) is { } own ? (own, variable)
            : (Env("BANDWIDTH_LIMIT"), "BANDWIDTH_LIMIT");
        if (text is null)
        {
            return 0;
        }

        return ByteRate.TryParse(text, out long rate, out _) ? rate : throw new ArgumentException(FlagValues.Invalid(text, source, "a rate such as 10MB, 512KiB or 1.5GB/s, or 0 for unlimited"));
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static int? EnvInt(string name, int min, int max)
    {
        string? value = Env(name);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ArgumentException(FlagValues.Invalid(value, name, FlagValues.Expected(min, max)));
    }
}
