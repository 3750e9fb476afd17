namespace P2PShare.Tracker.Configuration;

/// <summary>
/// Builds <see cref="TrackerOptions"/> from command-line flags, then environment variables, then defaults
/// (a flag wins over its variable). Invalid values are reported, never silently replaced by defaults.
/// </summary>
internal static class TrackerOptionsReader
{
    public const string AddrVariable = "TRACKER_ADDR";
    public const string ApiKeysVariable = "API_KEYS";
    public const string HeartbeatVariable = "HEARTBEAT_INTERVAL";
    public const string MaxBodyVariable = "MAX_BODY_BYTES";
    public const string RegisterRateVariable = "REGISTER_RATE_LIMIT";
    public const string StatsIntervalVariable = "STATS_INTERVAL";
    public const string ApiKeysFileVariable = "API_KEYS_FILE";
    public const string RegisterBurstVariable = "REGISTER_BURST";
    public const string KeyFileVariable = "TRACKER_KEY_FILE";
    public const string TlsCertVariable = "TLS_CERT";
    public const string TlsKeyVariable = "TLS_KEY";
    public const string TrustedProxiesVariable = "TRUSTED_PROXIES";
    public const string MaxFilesPerPeerVariable = "MAX_FILES_PER_PEER";
    public const string MaxFilesVariable = "MAX_FILES";
    public const string MaxManifestBytesVariable = "MAX_MANIFEST_BYTES";
    public const string UdpAddrVariable = "TRACKER_UDP_ADDR";

    /// <summary>Values given on the command line; null when the flag was not used.</summary>
    public sealed record Flags(
        string? Addr = null,
        int? HeartbeatInterval = null,
        long? MaxBodyBytes = null,
        int? RegisterRateLimit = null,
        int? RegisterBurst = null,
        string? KeyFile = null,
        string? TlsCert = null,
        string? TlsKey = null,
        string? TrustedProxies = null,
        int? MaxFilesPerPeer = null,
        int? MaxFiles = null,
        long? MaxManifestBytes = null,
        string? UdpAddr = null);

    public static bool TryRead(Flags flags, Func<string, string?> environment, out TrackerOptions options, out string? error)
    {
        var defaults = new TrackerOptions();
        options = defaults;
        error = null;

        var addr = SettingReader.From(flags.Addr, "-addr", AddrVariable, environment);
        var listen = ListenAddress.Parse(addr.Text ?? ":8080");
        if (listen is null)
        {
            error = SettingReader.Invalid(addr.Text!, addr.Name, ":PORT, HOST:PORT or [IPV6]:PORT with HOST an IP address or localhost");
            return false;
        }

        var udpSetting = SettingReader.From(flags.UdpAddr, "-udp-addr", UdpAddrVariable, environment);
        string? udpText = NonEmpty(udpSetting.Text);
        bool udpOff = string.Equals(udpText, "off", StringComparison.OrdinalIgnoreCase);
        var udp = udpText is null || udpOff ? null : ListenAddress.Parse(udpText);
        if (udpText is not null && !udpOff && udp is null)
        {
            error = SettingReader.Invalid(udpText, udpSetting.Name, ":PORT, HOST:PORT, [IPV6]:PORT or off");
            return false;
        }

        if (!SettingReader.TryInt(flags.HeartbeatInterval, HeartbeatVariable, environment, 1, 86_400, 30, out int heartbeat, ref error)
            || !SettingReader.TryLong(flags.MaxBodyBytes, MaxBodyVariable, environment, 1024, 1L << 30, defaults.MaxBodyBytes, out long maxBody, ref error)
            || !SettingReader.TryInt(flags.RegisterRateLimit, RegisterRateVariable, environment, 0, 1_000_000, defaults.RegisterRateLimit, out int rate, ref error)
            || !SettingReader.TryInt(flags.RegisterBurst, RegisterBurstVariable, environment, 1, 1_000_000, defaults.RegisterBurst, out int burst, ref error)
            || !SettingReader.TryInt(null, StatsIntervalVariable, environment, 1, 3600, (int)defaults.StatsInterval.TotalSeconds, out int stats, ref error)
            || !SettingReader.TryInt(flags.MaxFilesPerPeer, MaxFilesPerPeerVariable, environment, 1, 100_000_000, defaults.MaxFilesPerPeer, out int filesPerPeer, ref error)
            || !SettingReader.TryInt(flags.MaxFiles, MaxFilesVariable, environment, 1, 100_000_000, defaults.MaxFiles, out int maxFiles, ref error)
            || !SettingReader.TryLong(flags.MaxManifestBytes, MaxManifestBytesVariable, environment, 1024, 1L << 40, defaults.MaxManifestBytes, out long manifestBytes, ref error)
            || !TrackerSecurityOptions.TryReadApiKeys(environment(ApiKeysVariable), environment(ApiKeysFileVariable), out var keys, ref error)
            || !TrackerSecurityOptions.TryReadProxies(SettingReader.From(flags.TrustedProxies, "-trusted-proxies", TrustedProxiesVariable, environment), out var proxies, ref error)
            || !TrackerSecurityOptions.TryReadTls(SettingReader.From(flags.TlsCert, "-tls-cert", TlsCertVariable, environment), SettingReader.From(flags.TlsKey, "-tls-key", TlsKeyVariable, environment), ref error))
        {
            return false;
        }

        options = defaults with
        {
            Listen = listen,
            Rendezvous = new Rendezvous.RendezvousOptions(udp, Enabled: !udpOff),
            ApiKeys = keys,
            HeartbeatInterval = TimeSpan.FromSeconds(heartbeat),
            MaxBodyBytes = maxBody,
            RegisterRateLimit = rate,
            RegisterBurst = burst,
            StatsInterval = TimeSpan.FromSeconds(stats),
            KeyFile = NonEmpty(flags.KeyFile ?? environment(KeyFileVariable)) ?? defaults.KeyFile,
            TlsCertFile = NonEmpty(flags.TlsCert ?? environment(TlsCertVariable)),
            TlsKeyFile = NonEmpty(flags.TlsKey ?? environment(TlsKeyVariable)),
            TrustedProxies = proxies,
            MaxFilesPerPeer = filesPerPeer,
            MaxFiles = maxFiles,
            MaxManifestBytes = manifestBytes,
        };
        return true;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
