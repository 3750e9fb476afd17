using System.Globalization;
using P2PShare.Core.Throttling;

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
        if (!TryInt(flags.MaxTunnels, environment(MaxTunnelsVariable), MaxTunnelsVariable, 0, 1_000_000, defaults.MaxTunnels, out int maxTunnels, ref error)
            || !TryInt(flags.MaxTunnelsPerPeer, environment(MaxTunnelsPerPeerVariable), MaxTunnelsPerPeerVariable, 0, 1_000_000, defaults.MaxTunnelsPerPeer, out int perPeer, ref error)
            || !TryRate(flags.Rate ?? environment(RateVariable), RateVariable, out long rate, ref error)
            || !TryRate(flags.TotalRate ?? environment(TotalRateVariable), TotalRateVariable, out long totalRate, ref error)
            || !TryInt(flags.IdleTimeoutSeconds, environment(IdleTimeoutVariable), IdleTimeoutVariable, 1, 86_400, (int)defaults.IdleTimeout.TotalSeconds, out int idle, ref error))
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

    private static bool TryRate(string? text, string name, out long rate, ref string? error)
    {
        rate = 0;
        if (text is null)
        {
            return true;
        }

        if (ByteRate.TryParse(text, out rate, out string? problem))
        {
            return true;
        }

        error = $"{name}: {problem}";
        return false;
    }

    private static bool TryInt(int? flag, string? variable, string name, int min, int max, int fallback, out int value, ref string? error)
    {
        value = fallback;
        if (flag is int given)
        {
            value = given;
        }
        else if (variable is not null && !int.TryParse(variable.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = $"{name} must be a whole number, got '{variable}'";
            return false;
        }

        if (value < min || value > max)
        {
            error = $"{name} must be between {min} and {max}, got {value}";
            return false;
        }

        return true;
    }
}
