using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Crypto;

namespace P2PShare.Testing;

/// <summary>Real TCP on 127.0.0.1: connected pairs, free ports, and waiting for a server's port to open.</summary>
public static class Loopback
{
    /// <summary>A connected TCP pair (client, server) on an ephemeral loopback port, Nagle off.</summary>
    public static async Task<(NetworkStream Client, NetworkStream Server)> ConnectPairAsync(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptSocketAsync(cancellationToken).AsTask();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, cancellationToken);
        var server = await accept;
        server.NoDelay = true;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }

    /// <summary>Handshakes over a fresh loopback pair; the client expects the server's key.</summary>
    public static async Task<(SecureStream Client, SecureStream Server)> SecurePairAsync(PeerIdentity client, PeerIdentity server, CancellationToken cancellationToken)
    {
        var (clientStream, serverStream) = await ConnectPairAsync(cancellationToken);
        var accept = SecureChannel.AcceptAsync(serverStream, server, cancellationToken);
        var connect = SecureChannel.ConnectAsync(clientStream, client, server.PublicKey, cancellationToken);
        return (await connect, await accept);
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (another process may still take it).</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on 127.0.0.1:<paramref name="port"/>, or the token fires.</summary>
    public static async Task WaitForPortAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
