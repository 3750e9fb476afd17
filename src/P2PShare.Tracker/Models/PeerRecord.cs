using System.Net;

namespace P2PShare.Tracker.Models;

/// <summary>
/// A registered peer. Everything but the last-seen time is fixed at registration; a re-registration stores a new
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
    bool acceptsRelay = false)
{
    private long _lastSeenUtcTicks = registeredAt.UtcTicks;

    public string PeerId { get; } = peerId;

    public string PublicKey { get; } = publicKey;

    public string Token { get; } = token;

    public IPAddress Address { get; } = address;

    public string AddressText { get; } = address.ToString();

    public int Port { get; } = port;

    public int UdpPort { get; } = udpPort;

    public IReadOnlyList<string> LanAddresses { get; } = lanAddresses;

    public string? Name { get; } = name;

    public string? Version { get; } = version;

    public DateTimeOffset RegisteredAt { get; } = registeredAt;

    public bool AcceptsRelay { get; } = acceptsRelay;

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
