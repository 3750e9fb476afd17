using System.Net;
using P2PShare.Core.Transport;

namespace P2PShare.Peer.Connection;

/// <summary>How long each path may take before the next one is tried.</summary>
internal sealed record DialTimeouts
{
    public TimeSpan Direct { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The tracker's answer, the punch window (5 s) and the Noise handshake over the punched stream.</summary>
    public TimeSpan HolePunch { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan Relay { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// The ordered list of paths to a peer: its LAN addresses and the address the tracker observed, raced over direct
/// TCP; then a UDP hole punch coordinated by the tracker; then the tracker's relay. Punching needs the same control
/// socket as the relay on both sides, so a peer that does not accept relayed tunnels is not punched to either.
/// </summary>
internal sealed class DialPlan(IPeerTransport direct, Func<IPeerTransport?> relay, DialTimeouts timeouts, Func<IPeerTransport?>? holePunch = null)
{
    public IReadOnlyList<DialPath> PathsTo(PeerContact contact)
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

        if (contact.AcceptsRelay && holePunch?.Invoke() is { } punchTransport)
        {
            paths.Add(new DialPath(ConnectionKind.HolePunch, punchTransport, [new PeerAddress(contact.PeerId, "punch", 0)], timeouts.HolePunch));
        }

        if (contact.AcceptsRelay && relay() is { } relayTransport)
        {
            paths.Add(new DialPath(ConnectionKind.Relay, relayTransport, [new PeerAddress(contact.PeerId, "relay", 0)], timeouts.Relay));
        }

        return paths;
    }
}
