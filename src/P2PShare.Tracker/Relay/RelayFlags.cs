using System.CommandLine;

namespace P2PShare.Tracker.Relay;

/// <summary>The relay's command-line flags, added to the tracker's root command.</summary>
internal sealed class RelayFlags
{
    private readonly Option<int?> _maxTunnels = new("--relay-max-tunnels", "-relay-max-tunnels")
    {
        Description = $"Relay tunnels open at once, 0 = relay off (env {RelayOptionsReader.MaxTunnelsVariable}, default 1000).",
    };

    private readonly Option<int?> _maxTunnelsPerPeer = new("--relay-max-tunnels-per-peer", "-relay-max-tunnels-per-peer")
    {
        Description = $"Relay tunnels one peer may have open at once (env {RelayOptionsReader.MaxTunnelsPerPeerVariable}, default 32).",
    };

    private readonly Option<string?> _rate = new("--relay-rate", "-relay-rate")
    {
        Description = $"Bytes per second through one relay tunnel, e.g. 10MB; 0 = unlimited (env {RelayOptionsReader.RateVariable}, default 0).",
    };

    private readonly Option<string?> _totalRate = new("--relay-total-rate", "-relay-total-rate")
    {
        Description = $"Bytes per second through all relay tunnels together; 0 = unlimited (env {RelayOptionsReader.TotalRateVariable}, default 0).",
    };

    private readonly Option<int?> _idleTimeout = new("--relay-idle-timeout", "-relay-idle-timeout")
    {
        Description = $"Seconds after which a relay tunnel that moves no byte is closed (env {RelayOptionsReader.IdleTimeoutVariable}, default 300).",
    };

    public static RelayFlags AddTo(Command command)
    {
        var flags = new RelayFlags();
        command.Options.Add(flags._maxTunnels);
        command.Options.Add(flags._maxTunnelsPerPeer);
        command.Options.Add(flags._rate);
        command.Options.Add(flags._totalRate);
        command.Options.Add(flags._idleTimeout);
        return flags;
    }

    public RelayOptionsReader.Flags Read(ParseResult result) => new(
        result.GetValue(_maxTunnels),
        result.GetValue(_maxTunnelsPerPeer),
        result.GetValue(_rate),
        result.GetValue(_totalRate),
        result.GetValue(_idleTimeout));
}
