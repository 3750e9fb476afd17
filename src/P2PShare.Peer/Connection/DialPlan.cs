using System.Net;
using P2PShare.Core.Transport;

namespace P2PShare.Peer.Connection;

/// <summary>How long each path may take before the next one is tried.</summary>
internal sealed record DialTimeouts
{
    public TimeSpan Direct { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The tracker's answer, the punch window (3 s) and the Noise handshake over the punched stream.</summary>
    public TimeSpan HolePunch { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan Relay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long direct TCP runs alone before the hole punch joins the race (sooner when direct fails first): direct
    /// is preferred, but a peer behind a NAT that drops TCP must not cost the whole direct timeout.
    /// </summary>
    public TimeSpan PunchHeadStart { get; init; } = TimeSpan.FromMilliseconds(300);
}

/// <summary>
/// The paths to a peer in order of preference: its LAN addresses and the address the tracker observed, raced over
/// direct TCP; a UDP hole punch coordinated by the tracker (raced against direct after its head start); then the
/// tracker's relay once both failed. Punching needs the same control socket as the relay on both sides, so a peer
/// that does not accept relayed tunnels is not punched to either.
/// </summary>
internal sealed class DialPlan(IPeerTransport direct, Func<IPeerTransport?> relay, DialTimeouts timeouts, Func<IPeerTransport?>? holePunch = null)
{
    public DialTimeouts Timeouts => timeouts;

    /// <summary>The hole-punch path alone, for trying again while a peer is reached through the relay; null when it cannot be punched.</summary>
    public DialPath? PunchPathTo(PeerContact contact) =>
        contact.AcceptsRelay && holePunch?.Invoke() is { } punchTransport
            ? new DialPath(ConnectionKind.HolePunch, punchTransport, [new PeerAddress(contact.PeerId, "punch", 0)], timeouts.HolePunch)
            : null;

    /// <summary>Every path to the peer, best first; <paramref name="punch"/> false leaves the hole punch out (held back).</summary>
    public IReadOnlyList<DialPath> PathsTo(PeerContact contact, bool punch = true)
    {
        var paths = new List<DialPath>(3);
        var addresses = contact.LanAddresses.Append(contact.Address)
            .Where(a => IPAddress.TryParse(a, out _))
            .Distinct()
            .Select(a => new PeerAddress(contact.PeerId, a, contact.Port))
            .ToList();
        if (addresses.Count > 0 && contact.Port is > 0 and <= 65535)
        {
            paths.Add(new DialPath(ConnectionKind.Direct, direct, addresses, timeouts.Direct));
        }

        if (punch && PunchPathTo(contact) is { } punchPath)
        {
            paths.Add(punchPath);
        }

        if (contact.AcceptsRelay && relay() is { } relayTransport)
        {
            paths.Add(new DialPath(ConnectionKind.Relay, relayTransport, [new PeerAddress(contact.PeerId, "relay", 0)], timeouts.Relay));
        }

        return paths;
    }
}
