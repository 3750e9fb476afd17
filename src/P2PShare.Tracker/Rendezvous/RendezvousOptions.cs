using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Rendezvous;

/// <summary>
/// Where the UDP rendezvous listens: <see cref="Listen"/> is the primary port (the one whose observations are
/// recorded), null = the HTTP listen address's host and port number; the alternate port is the next port number, or
/// any free port when that one is taken. <see cref="Enabled"/> false (<c>-udp-addr off</c>) turns it off.
/// </summary>
internal sealed record RendezvousOptions(ListenAddress? Listen = null, bool Enabled = true)
{
    public ListenAddress? Resolve(ListenAddress http) => Enabled ? Listen ?? http : null;
}
