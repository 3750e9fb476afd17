using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Rendezvous;

/// <summary>
/// Where the UDP rendezvous listens: <see cref="Listen"/> is the primary port (the one whose observations are
/// recorded); the alternate port is the next port number, or any free port when that one is taken. Null = off.
/// </summary>
internal sealed record RendezvousOptions(ListenAddress? Listen);
