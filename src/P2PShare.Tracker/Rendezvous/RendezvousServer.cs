using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Protocol.Rendezvous;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Rendezvous;

/// <summary>
/// The UDP rendezvous: answers a registered peer's signed binding request with the address and port the request came
/// from. Two sockets: the primary port's observations are stored on the peer's record (the endpoint other peers
/// punch toward, and the NAT mapping the peer reports); the alternate port only answers, so a peer can compare the
/// two answers to learn whether its NAT maps endpoint-independently. Unsigned, malformed or over-rate datagrams are
/// dropped without an answer.
/// </summary>
internal sealed partial class RendezvousServer(TrackerOptions options, PeerService peers, TimeProvider time, ILogger<RendezvousServer> logger) : BackgroundService
{
    private readonly SourceRateLimit _rate = new(time);
    private readonly TaskCompletionSource<(int Primary, int Alternate)> _ports = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The bound ports, or (0, 0) when the rendezvous is off or could not bind.</summary>
    public (int Primary, int Alternate) Ports => _ports.Task.IsCompletedSuccessfully ? _ports.Task.Result : (0, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Rendezvous.Resolve(options.Listen) is not { } listen)
        {
            _ports.TrySetResult((0, 0));
            return;
        }

        var address = listen.Address ?? (listen.IsLocalhost ? IPAddress.Loopback : IPAddress.Any);
        Socket primary, alternate;
        try
        {
            primary = Bind(new IPEndPoint(address, listen.Port));
        }
        catch (SocketException ex)
        {
            Log.BindFailed(logger, listen.ToString(), ex.Message);
            _ports.TrySetResult((0, 0));
            return;
        }

        int primaryPort = ((IPEndPoint)primary.LocalEndPoint!).Port;
        try
        {
            alternate = Bind(new IPEndPoint(address, primaryPort < 65535 ? primaryPort + 1 : 0));
        }
        catch (SocketException)
        {
            alternate = Bind(new IPEndPoint(address, 0));
        }

        int alternatePort = ((IPEndPoint)alternate.LocalEndPoint!).Port;
        _ports.TrySetResult((primaryPort, alternatePort));
        Log.Listening(logger, address.ToString(), primaryPort, alternatePort);
        using (primary)
        using (alternate)
        {
            await Task.WhenAll(ServeAsync(primary, 0, alternatePort, stoppingToken), ServeAsync(alternate, 1, alternatePort, stoppingToken));
        }
    }

    private static Socket Bind(IPEndPoint local)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(local);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ServeAsync(Socket socket, byte portIndex, int alternatePort, CancellationToken stop)
    {
        var buffer = new byte[RendezvousPacket.RequestSize + 1];
        var answer = new byte[RendezvousPacket.AnswerSize];
        var from = new SocketAddress(socket.AddressFamily);
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP error for an earlier answer, or a datagram larger than any request (truncated)
            }

            var source = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from);
            if (length != RendezvousPacket.RequestSize || !_rate.TryTake(source.Address)
                || !TryAnswer(buffer.AsSpan(0, length), source, portIndex, alternatePort, answer))
            {
                continue;
            }

            try
            {
                await socket.SendToAsync(answer, SocketFlags.None, from, stop);
            }
            catch (SocketException)
            {
                // The answer is lost like any datagram; the peer asks again.
            }
        }
    }

    private bool TryAnswer(ReadOnlySpan<byte> request, IPEndPoint source, byte portIndex, int alternatePort, Span<byte> answer)
    {
        if (!RendezvousPacket.TryReadRequest(request, out string peerId, out var report)
            || peers.FindLive(peerId) is not { } peer
            || !RendezvousPacket.VerifyRequest(request, peer.Token))
        {
            return false;
        }

        var observed = new IPEndPoint(source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address, source.Port);
        if (portIndex == 0)
        {
            peer.Observe(new UdpObservation(observed, report, time.GetUtcNow()));
        }

        RendezvousPacket.WriteAnswer(answer, request, observed, portIndex, alternatePort, peer.Token);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "UDP rendezvous on {Address} ports {Primary} and {Alternate}")]
        public static partial void Listening(ILogger logger, string address, int primary, int alternate);

        [LoggerMessage(6002, LogLevel.Warning, "UDP rendezvous off: cannot bind {Listen}: {Reason} (choose another -udp-addr)")]
        public static partial void BindFailed(ILogger logger, string listen, string reason);
    }
}
