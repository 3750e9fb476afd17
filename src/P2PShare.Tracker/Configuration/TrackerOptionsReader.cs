using System.Globalization;

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

        string addrText = flags.Addr ?? environment(AddrVariable) ?? ":8080";
        var listen = ListenAddress.Parse(addrText);
        if (listen is null)
        {
            error = $"invalid listen address '{addrText}': use :PORT, HOST:PORT or [IPV6]:PORT with HOST an IP address or localhost";
            return false;
        }

        string? udpText = NonEmpty(flags.UdpAddr ?? environment(UdpAddrVariable));
        bool udpOff = string.Equals(udpText, "off", StringComparison.OrdinalIgnoreCase);
        var udp = udpText is null || udpOff ? null : ListenAddress.Parse(udpText);
        if (udpText is not null && !udpOff && udp is null)
        {
            error = $"invalid UDP rendezvous address '{udpText}': use :PORT, HOST:PORT, [IPV6]:PORT or off";
            return false;
        }

        if (!TryInt(flags.HeartbeatInterval, environment(HeartbeatVariable), HeartbeatVariable, 1, 86_400, 30, out int heartbeat, ref error)
            || !TryLong(flags.MaxBodyBytes, environment(MaxBodyVariable), MaxBodyVariable, 1024, 1L << 30, defaults.MaxBodyBytes, out long maxBody, ref error)
            || !TryInt(flags.RegisterRateLimit, environment(RegisterRateVariable), RegisterRateVariable, 0, 1_000_000, defaults.RegisterRateLimit, out int rate, ref error)
            || !TryInt(flags.RegisterBurst, environment(RegisterBurstVariable), RegisterBurstVariable, 1, 1_000_000, defaults.RegisterBurst, out int burst, ref error)
            || !TryInt(null, environment(StatsIntervalVariable), StatsIntervalVariable, 1, 3600, (int)defaults.StatsInterval.TotalSeconds, out int stats, ref error)
            || !TryInt(flags.MaxFilesPerPeer, environment(MaxFilesPerPeerVariable), MaxFilesPerPeerVariable, 1, 100_000_000, defaults.MaxFilesPerPeer, out int filesPerPeer, ref error)
            || !TryInt(flags.MaxFiles, environment(MaxFilesVariable), MaxFilesVariable, 1, 100_000_000, defaults.MaxFiles, out int maxFiles, ref error)
            || !TryLong(flags.MaxManifestBytes, environment(MaxManifestBytesVariable), MaxManifestBytesVariable, 1024, 1L << 40, defaults.MaxManifestBytes, out long manifestBytes, ref error)
            || !TrackerSecurityOptions.TryReadApiKeys(environment(ApiKeysVariable), environment(ApiKeysFileVariable), out var keys, ref error)
            || !TrackerSecurityOptions.TryReadProxies(flags.TrustedProxies ?? environment(TrustedProxiesVariable), out var proxies, ref error)
            || !TrackerSecurityOptions.TryReadTls(flags.TlsCert ?? environment(TlsCertVariable), flags.TlsKey ?? environment(TlsKeyVariable), ref error))
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

    /// <summary>Every numeric flag is named after its variable: MAX_BODY_BYTES is -max-body-bytes.</summary>
    public static string FlagFor(string variable) => "-" + variable.ToLowerInvariant().Replace('_', '-');

    public static string VariableFor(string flag) => flag.TrimStart('-').ToUpperInvariant().Replace('-', '_');

    private static string Invalid(string text, string name, long min, long max) =>
        $"invalid value '{text}' for {name}: expected a whole number from {min} to {max}";

    private static bool TryInt(int? flag, string? variable, string name, int min, int max, int fallback, out int value, ref string? error)
    {
        bool ok = TryLong(flag, variable, name, min, max, fallback, out long wide, ref error);
        value = (int)wide;
        return ok;
    }

    private static bool TryLong(long? flag, string? variable, string name, long min, long max, long fallback, out long value, ref string? error)
    {
        value = fallback;
        if (flag is long given)
        {
            value = given;
        }
        else if (variable is not null && !long.TryParse(variable.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = Invalid(variable, name, min, max);
            return false;
        }

        if (value < min || value > max)
        {
            error = Invalid(flag is not null ? value.ToString(CultureInfo.InvariantCulture) : variable!, flag is not null ? FlagFor(name) : name, min, max);
            return false;
        }

        return true;
    }
}
