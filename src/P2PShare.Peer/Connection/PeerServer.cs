using Microsoft.Extensions.Logging;
using P2PShare.Core.Transport;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// Accepts other peers on a transport; each accepted connection becomes a serving <see cref="PeerLink"/>. Connections
/// still in their handshake are capped in total and per source address (<see cref="PendingHandshakes"/>); a connection
/// over either cap is closed at once, before anything is allocated for it.
/// </summary>
internal sealed partial class PeerServer : IAsyncDisposable
{
    private readonly IPeerTransport _transport;
    private readonly LinkFactory _links;
    private readonly LinkDirectory _directory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly PendingHandshakes _pending;
    private readonly Task _acceptLoop;

    public PeerServer(IPeerTransport transport, LinkFactory links, LinkDirectory directory, ILogger logger, PendingHandshakes? pending = null)
    {
        _pending = pending ?? new PendingHandshakes();
        _transport = transport;
        _links = links;
        _directory = directory;
        _logger = logger;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var connection = await _transport.AcceptAsync(ct);
                string source = PendingHandshakes.SourceOf(connection.RemoteEndPoint);
                if (!_pending.TryEnter(source))
                {
                    Log.TooManyPending(_logger, source);
                    await connection.DisposeAsync();
                    continue;
                }

                _ = EstablishAsync(connection, source, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                Log.AcceptFailed(_logger, _transport.Scheme, ex.Message);
            }
        }
    }

    private async Task EstablishAsync(IPeerConnection connection, string source, CancellationToken ct)
    {
        try
        {
            await _links.AcceptAsync(connection, ct);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandshakeFailed(_logger, connection.RemoteEndPoint?.ToString() ?? "?", ex.Message);
        }
        finally
        {
            _pending.Leave(source);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _transport.DisposeAsync();
        await _acceptLoop;
        foreach (var link in _directory.Snapshot())
        {
            await link.DisposeAsync();
        }

        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "{Scheme}: accept failed: {Reason}")]
        public static partial void AcceptFailed(ILogger logger, string scheme, string reason);

        [LoggerMessage(31, LogLevel.Information, "refused connection from {Remote}: {Reason}")]
        public static partial void HandshakeFailed(ILogger logger, string remote, string reason);

        [LoggerMessage(32, LogLevel.Debug, "refused connection from {Source}: too many handshakes pending")]
        public static partial void TooManyPending(ILogger logger, string source);
    }
}
