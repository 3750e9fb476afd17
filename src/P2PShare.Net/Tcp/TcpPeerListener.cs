using System.Net;
using System.Net.Sockets;

namespace P2PShare.Net.Tcp;

/// <summary>Accepts peers' TCP connections on one port.</summary>
public sealed class TcpPeerListener : IAsyncDisposable
{
    private readonly Socket _socket;

    private TcpPeerListener(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds and listens; <paramref name="port"/> 0 picks a free port. IPv6 any also accepts IPv4.</summary>
    public static TcpPeerListener Start(IPAddress address, int port, int backlog = 512)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(backlog);
            return new TcpPeerListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next peer; the returned stream owns its socket.</summary>
    public async Task<(NetworkStream Stream, IPEndPoint Remote)> AcceptAsync(CancellationToken cancellationToken)
    {
        var client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        client.NoDelay = true;
        return (new NetworkStream(client, ownsSocket: true), (IPEndPoint)client.RemoteEndPoint!);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
