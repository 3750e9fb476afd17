using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PShare.Core.TrackerApi;
using P2PShare.Net.HolePunch;
using P2PShare.Net.Relay;
using P2PShare.Net.Rendezvous;
using P2PShare.Peer.Connection;

namespace P2PShare.Peer.Node;

/// <summary>
/// The hole-punch side of a node: one UDP socket (any free port) that carries punched streams, the rendezvous
/// client that keeps the tracker told of that socket's public endpoint, and the transport the dial plan uses.
/// </summary>
internal sealed partial class HolePunchSetup : IAsyncDisposable
{
    private readonly RendezvousClient _rendezvous;
    private readonly Uri _tracker;
    private readonly ILogger _logger;

    private HolePunchSetup(HolePunchService transport, RendezvousClient rendezvous, Uri tracker, ILogger logger)
    {
        Transport = transport;
        _rendezvous = rendezvous;
        _tracker = tracker;
        _logger = logger;
    }

    public HolePunchService Transport { get; }

    public int LocalPort => Transport.Socket.LocalEndPoint.Port;

    /// <summary>Binds the socket and starts the rendezvous; null (logged) when no UDP socket can be bound.</summary>
    public static HolePunchSetup? TryStart(RelayClient signalling, string peerId, Func<string?> token, Uri tracker, TimeProvider time, ILoggerFactory logging)
    {
        var logger = logging.CreateLogger<HolePunchSetup>();
        UdpStreamSocket socket;
        try
        {
            socket = UdpStreamSocket.BindShared(new IPEndPoint(IPAddress.Any, 0), new UdpStreamOptions { ConnectTimeout = HolePunchService.PunchWindow }, time);
        }
        catch (SocketException ex)
        {
            Log.Off(logger, ex.Message);
            return null;
        }

        var transport = new HolePunchService(socket, signalling, time, logging.CreateLogger<HolePunchService>());
        var rendezvous = new RendezvousClient(socket.LocalEndPoint.Port, Convert.FromHexString(peerId), token, time);
        rendezvous.Start();
        return new HolePunchSetup(transport, rendezvous, tracker, logger);
    }

    /// <summary>After each registration: ask the rendezvous ports the tracker named (none when its rendezvous is off).</summary>
    public void OnRegistered(RegisterResponse response)
    {
        if (response.UdpRendezvousPorts is not [int primary, int alternate])
        {
            return;
        }

        _ = UseTrackerAsync(primary, alternate);
    }

    private async Task UseTrackerAsync(int primary, int alternate)
    {
        try
        {
            var host = IPAddress.TryParse(_tracker.Host, out var literal)
                ? literal
                : (await Dns.GetHostAddressesAsync(_tracker.DnsSafeHost, AddressFamily.InterNetwork)).FirstOrDefault();
            if (host is { AddressFamily: AddressFamily.InterNetwork })
            {
                _rendezvous.UseTracker(host, primary, alternate);
            }
            else
            {
                Log.NoAddress(_logger, _tracker.Host);
            }
        }
        catch (SocketException ex)
        {
            Log.NoAddress(_logger, $"{_tracker.Host} ({ex.Message})");
        }
    }

    public HolePunchSnapshot Snapshot() => new(LocalPort, _rendezvous.Observed, _rendezvous.Mapping);

    public async ValueTask DisposeAsync()
    {
        await _rendezvous.DisposeAsync();
        await Transport.DisposeAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(90, LogLevel.Warning, "hole punching off: cannot bind a UDP socket: {Reason}")]
        public static partial void Off(ILogger logger, string reason);

        [LoggerMessage(91, LogLevel.Warning, "hole punching: the tracker host {Host} has no IPv4 address for the UDP rendezvous")]
        public static partial void NoAddress(ILogger logger, string host);
    }
}
