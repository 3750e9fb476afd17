using System.Net;

namespace P2PShare.Tracker.Models;

/// <summary>
/// A registered peer. Everything but the last-seen time and the traffic is fixed at registration; a re-registration stores a new
/// record, so readers never see a half-updated peer.
/// </summary>
internal sealed class PeerRecord(
    string peerId,
    string publicKey,
    string token,
    IPAddress address,
    int port,
    int udpPort,
    IReadOnlyList<string> lanAddresses,
    string? name,
    string? version,
    DateTimeOffset registeredAt,
    bool acceptsRelay = false,
    int dhtPort = 0)
{
    private long _lastSeenUtcTicks = registeredAt.UtcTicks;
    private PeerTraffic? _traffic;
    private UdpObservation? _udp;

    public string PeerId { get; } = peerId;

    public string PublicKey { get; } = publicKey;

    public string Token { get; } = token;

    public IPAddress Address { get; } = address;

    public string AddressText { get; } = address.ToString();

    public int Port { get; } = port;

    public int UdpPort { get; } = udpPort;

    /// <summary>The UDP port of the peer's DHT node, 0 when it runs none; other peers bootstrap from it.</summary>
    public int DhtPort { get; } = dhtPort;

    public IReadOnlyList<string> LanAddresses { get; } = lanAddresses;

    public string? Name { get; } = name;

    public string? Version { get; } = version;

    public DateTimeOffset RegisteredAt { get; } = registeredAt;

    /// <summary>The traffic of the last heartbeat that reported counters, or null before the first.</summary>
    public PeerTraffic? Traffic => Volatile.Read(ref _traffic);

    /// <summary>Stores a new traffic report; a concurrent report may win, which only costs one rate sample.</summary>
    public void Report(PeerTraffic traffic) => Volatile.Write(ref _traffic, traffic);

    public bool AcceptsRelay { get; } = acceptsRelay;

    /// <summary>The peer's UDP endpoint as the rendezvous last saw it, or null before its first binding request.</summary>
    public UdpObservation? Udp => Volatile.Read(ref _udp);

    public void Observe(UdpObservation observation) => Volatile.Write(ref _udp, observation);

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenUtcTicks), TimeSpan.Zero);

    /// <summary>Records a sign of life; never moves the time backwards.</summary>
    public void Touch(DateTimeOffset now)
    {
        long ticks = now.UtcTicks;
        long seen = Interlocked.Read(ref _lastSeenUtcTicks);
        while (ticks > seen)
        {
            long previous = Interlocked.CompareExchange(ref _lastSeenUtcTicks, ticks, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
