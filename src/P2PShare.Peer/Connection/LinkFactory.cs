using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Core.Throttling;
using P2PShare.Core.Transport;
using P2PShare.Net.Streams;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// Turns a raw transport connection into a running <see cref="PeerLink"/>: byte counting, throttling, the Noise XX handshake
/// (checking the remote's static key when dialing), then Hello with version negotiation. Every step is bounded
/// by <see cref="HandshakeTimeout"/>; on any failure the transport is closed.
/// </summary>
internal sealed class LinkFactory(PeerIdentity identity, LocalHoldings holdings, LinkDirectory directory, ConnectionRegistry connections, BandwidthLimits limits, int listenPort, TimeProvider time, ILoggerFactory logging)
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = logging.CreateLogger<PeerLink>();

    public int ListenPort { get; set; } = listenPort;

    public event Action<string>? SharedFileChanged;

    /// <summary>
    /// When set (private network), asked once per inbound link after the handshake with the initiator's static
    /// key; false closes the link before anything else is exchanged.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<bool>>? AcceptInitiator { get; set; }

    /// <summary>
    /// Dials a peer and authenticates it against <paramref name="expectedKey"/> (the key the tracker lists);
    /// <paramref name="connected"/> is called once the transport is connected, before the handshake.
    /// </summary>
    public async Task<PeerLink> ConnectAsync(IPeerTransport transport, PeerAddress address, ReadOnlyMemory<byte> expectedKey, CancellationToken ct, Action? connected = null)
    {
        var connection = await transport.ConnectAsync(address, ct);
        connected?.Invoke();
        return await EstablishAsync(connection, ConnectionDirection.Outbound, expectedKey, ct);
    }

    public Task<PeerLink> AcceptAsync(IPeerConnection connection, CancellationToken ct) => EstablishAsync(connection, ConnectionDirection.Inbound, null, ct);

    private async Task<PeerLink> EstablishAsync(IPeerConnection connection, ConnectionDirection direction, ReadOnlyMemory<byte>? expectedKey, CancellationToken ct)
    {
        ConnectionStats stats;
        try
        {
            stats = connections.Open(connection.RemoteEndPoint?.ToString() ?? "?", connection.Kind, direction);
        }
        catch (ConnectionLimitException)
        {
            await connection.DisposeAsync();
            throw;
        }


        var counted = limits.Wrap(new CountingStream(connection.Stream, stats.AddDown, stats.AddUp));
        using var deadline = new CancellationTokenSource(HandshakeTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        SecureStream? secure = null;
        try
        {
            secure = direction == ConnectionDirection.Outbound
                ? await SecureChannel.ConnectAsync(counted, identity, expectedKey, timeout.Token)
                : await SecureChannel.AcceptAsync(counted, identity, timeout.Token);
            if (direction == ConnectionDirection.Inbound && AcceptInitiator is { } accept && !await accept(secure.RemoteStaticKey, timeout.Token))
            {
                throw new SecureChannelException($"peer {secure.RemotePeerId} is not registered with the tracker; refused (private network)");
            }

            var wire = new WireChannel(secure);
            try
            {
                long helloSent = time.GetTimestamp();
                await wire.ExchangeHelloAsync(identity.PeerId, ListenPort, timeout.Token);
                stats.SetRtt(time.GetElapsedTime(helloSent)); // one Hello each way: one round trip
            }
            catch
            {
                await wire.DisposeAsync();
                throw;
            }

            var link = new PeerLink(secure, wire, holdings, directory, stats, time, _logger);
            link.SharedFileChanged += path => SharedFileChanged?.Invoke(path);
            _ = ReleaseWhenClosedAsync(link, stats);
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

            if (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new TimeoutException($"handshake not finished within {HandshakeTimeout.TotalSeconds:0} s");
            }

            throw;
        }
    }

    /// <summary>
    /// Takes a closed link off the connection list now rather than when its release runs, so a report made right
    /// after (the heartbeat that tells the tracker a peer's path changed) no longer lists it.
    /// </summary>
    public void Unlist(PeerLink link) => connections.Close(link.Stats);

    /// <summary>A closed link gives back its socket and buffers at once, whoever else still holds a reference to it.</summary>
    private async Task ReleaseWhenClosedAsync(PeerLink link, ConnectionStats stats)
    {
        await link.Closed;
        connections.Close(stats);
        await link.DisposeAsync();
    }
}
