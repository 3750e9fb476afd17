using System.Net;
using Microsoft.Extensions.Logging;
using P2PShare.Net.Tcp;

namespace P2PShare.Peer.P2P;

/// <summary>Accepts other peers on the P2P port; each accepted connection becomes a serving <see cref="PeerLink"/>.</summary>
internal sealed partial class PeerServer : IAsyncDisposable
{
    private readonly TcpPeerListener _listener;
    private readonly LinkFactory _links;
    private readonly LinkDirectory _directory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private PeerServer(TcpPeerListener listener, LinkFactory links, LinkDirectory directory, ILogger logger)
    {
        _listener = listener;
        _links = links;
        _directory = directory;
        _logger = logger;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    public int Port => _listener.LocalEndPoint.Port;

    public static PeerServer Start(IPAddress address, int port, LinkFactory links, LinkDirectory directory, ILogger logger)
    {
        var listener = TcpPeerListener.Start(address, port);
        links.ListenPort = listener.LocalEndPoint.Port;
        return new PeerServer(listener, links, directory, logger);
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var (stream, remote) = await _listener.AcceptAsync(ct);
                _ = EstablishAsync(stream, remote, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                Log.AcceptFailed(_logger, ex.Message);
            }
        }
    }

    private async Task EstablishAsync(Stream stream, IPEndPoint remote, CancellationToken ct)
    {
        try
        {
            await _links.AcceptAsync(stream, remote, ct);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandshakeFailed(_logger, remote.ToString(), ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.DisposeAsync();
        await _acceptLoop;
        foreach (var link in _directory.Snapshot())
        {
            await link.DisposeAsync();
        }

        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "accept failed: {Reason}")]
        public static partial void AcceptFailed(ILogger logger, string reason);

        [LoggerMessage(31, LogLevel.Information, "refused connection from {Remote}: {Reason}")]
        public static partial void HandshakeFailed(ILogger logger, string remote, string reason);
    }
}
