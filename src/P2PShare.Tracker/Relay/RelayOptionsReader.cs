using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Relay;

/// <summary>
/// Builds <see cref="RelayOptions"/> from flags, then environment variables, then defaults. Invalid values are
/// reported, never replaced by defaults.
/// </summary>
internal static class RelayOptionsReader
{
    public const string MaxTunnelsVariable = "RELAY_MAX_TUNNELS";
    public const string MaxTunnelsPerPeerVariable = "RELAY_MAX_TUNNELS_PER_PEER";
    public const string RateVariable = "RELAY_RATE";
    public const string TotalRateVariable = "RELAY_TOTAL_RATE";
    public const string IdleTimeoutVariable = "RELAY_IDLE_TIMEOUT";

    /// <summary>Values given on the command line; null when the flag was not used.</summary>
    public sealed record Flags(int? MaxTunnels = null, int? MaxTunnelsPerPeer = null, string? Rate = null, string? TotalRate = null, int? IdleTimeoutSeconds = null);

    public static bool TryRead(Flags flags, Func<string, string?> environment, out RelayOptions options, out string? error)
    {
        var defaults = new RelayOptions();
        options = defaults;
        error = null;
        if (!SettingReader.TryInt(flags.MaxTunnels, MaxTunnelsVariable, environment, 0, 1_000_000, defaults.MaxTunnels, out int maxTunnels, ref error)
            || !SettingReader.TryInt(flags.MaxTunnelsPerPeer, MaxTunnelsPerPeerVariable, environment, 0, 1_000_000, defaults.MaxTunnelsPerPeer, out int perPeer, ref error)
            || !SettingReader.TryRate(SettingReader.From(flags.Rate, "-relay-rate", RateVariable, environment), out long rate, ref error)
            || !SettingReader.TryRate(SettingReader.From(flags.TotalRate, "-relay-total-rate", TotalRateVariable, environment), out long totalRate, ref error)
            || !SettingReader.TryInt(flags.IdleTimeoutSeconds, IdleTimeoutVariable, environment, 1, 86_400, (int)defaults.IdleTimeout.TotalSeconds, out int idle, ref error))
        {
            return false;
        }

        options = defaults with
        {
            MaxTunnels = maxTunnels,
            MaxTunnelsPerPeer = perPeer,
            TunnelRate = rate,
            TotalRate = totalRate,
            IdleTimeout = TimeSpan.FromSeconds(idle),
        };
        return true;
    }
}
