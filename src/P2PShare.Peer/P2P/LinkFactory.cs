using System.Net;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Core.Throttling;
using P2PShare.Net.Streams;
using P2PShare.Net.Tcp;
using P2PShare.Peer.Node;

namespace P2PShare.Peer.P2P;

/// <summary>
/// Turns a raw transport stream into a running <see cref="PeerLink"/>: byte counting, the Noise XX handshake
/// (checking the remote's static key when dialing), then Hello with version negotiation. Every step is bounded
/// by <see cref="HandshakeTimeout"/>; on any failure the transport is closed.
/// </summary>
internal sealed class LinkFactory(PeerIdentity identity, LocalHoldings holdings, LinkDirectory directory, ConnectionRegistry connections, BandwidthLimits limits, int listenPort, TimeProvider time, ILoggerFactory logging)
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = logging.CreateLogger<PeerLink>();

    public int ListenPort { get; set; } = listenPort;

    public event Action<string>? SharedFileChanged;

    /// <summary>Dials a peer over TCP and authenticates it against <paramref name="expectedKey"/> (from the tracker).</summary>
    public async Task<PeerLink> ConnectAsync(IPEndPoint remote, ReadOnlyMemory<byte> expectedKey, CancellationToken ct)
    {
        var stream = await TcpPeerDialer.ConnectAsync(remote, ConnectTimeout, ct);
        return await EstablishAsync(stream, remote.ToString(), "outbound", expectedKey, ct);
    }

    public Task<PeerLink> AcceptAsync(Stream stream, IPEndPoint remote, CancellationToken ct) =>
        EstablishAsync(stream, remote.ToString(), "inbound", null, ct);

    private async Task<PeerLink> EstablishAsync(Stream transport, string address, string direction, ReadOnlyMemory<byte>? expectedKey, CancellationToken ct)
    {
        var stats = connections.Open(address, "direct", direction);
        var counted = limits.Wrap(new CountingStream(transport, stats.AddDown, stats.AddUp));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        SecureStream? secure = null;
        try
        {
            secure = direction == "outbound"
                ? await SecureChannel.ConnectAsync(counted, identity, expectedKey, timeout.Token)
                : await SecureChannel.AcceptAsync(counted, identity, timeout.Token);
            var wire = new WireChannel(secure);
            try
            {
                await wire.ExchangeHelloAsync(identity.PeerId, ListenPort, timeout.Token);
            }
            catch
            {
                await wire.DisposeAsync();
                throw;
            }

            var link = new PeerLink(secure, wire, holdings, directory, stats, time, _logger);
            link.SharedFileChanged += path => SharedFileChanged?.Invoke(path);
            _ = link.Closed.ContinueWith(_ => connections.Close(stats), TaskScheduler.Default);
            link.Start();
            return link;
        }
        catch
        {
            connections.Close(stats);
            if (secure is not null)
            {
                await secure.DisposeAsync();
            }
            else
            {
                await counted.DisposeAsync();
            }

            throw;
        }
    }
}
