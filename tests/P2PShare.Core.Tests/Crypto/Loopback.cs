using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

/// <summary>Real TCP connections on 127.0.0.1 with an ephemeral port.</summary>
internal static class Loopback
{
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
}
