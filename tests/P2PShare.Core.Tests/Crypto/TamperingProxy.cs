using System.Buffers.Binary;
using System.Net.Sockets;

namespace P2PShare.Core.Tests.Crypto;

/// <summary>
/// A man in the middle on real loopback sockets: client ⇄ proxy ⇄ server, with a pump per direction that may
/// alter the bytes. When a pump's source ends, the proxy half-closes the destination so the end is seen.
/// </summary>
internal sealed class TamperingProxy : IAsyncDisposable
{
    private readonly NetworkStream _clientSide;
    private readonly NetworkStream _serverSide;
    private readonly Task _pumps;

    private TamperingProxy(NetworkStream clientSide, NetworkStream serverSide, Pump clientToServer, Pump serverToClient, CancellationToken cancellationToken)
    {
        _clientSide = clientSide;
        _serverSide = serverSide;
        _pumps = Task.WhenAll(
            RunAsync(clientToServer, clientSide, serverSide, cancellationToken),
            RunAsync(serverToClient, serverSide, clientSide, cancellationToken));
    }

    public delegate Task Pump(Stream from, Stream to, CancellationToken cancellationToken);

    public required NetworkStream Client { get; init; }

    public required NetworkStream Server { get; init; }

    public static async Task<TamperingProxy> StartAsync(Pump clientToServer, Pump serverToClient, CancellationToken cancellationToken)
    {
        var (client, clientSide) = await Loopback.ConnectPairAsync(cancellationToken);
        var (serverSide, server) = await Loopback.ConnectPairAsync(cancellationToken);
        return new TamperingProxy(clientSide, serverSide, clientToServer, serverToClient, cancellationToken) { Client = client, Server = server };
    }

    public static Task Forward(Stream from, Stream to, CancellationToken cancellationToken) => from.CopyToAsync(to, cancellationToken);

    /// <summary>Forwards everything, XOR-ing the byte at absolute <paramref name="offset"/> with 0x01.</summary>
    public static Pump FlipByteAt(long offset) => async (from, to, cancellationToken) =>
    {
        var buffer = new byte[16384];
        long position = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (offset >= position && offset < position + read)
            {
                buffer[offset - position] ^= 0x01;
            }

            position += read;
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    };

    /// <summary>
    /// Splits the stream into 2-byte-length-prefixed messages (handshake messages, then records) and writes what
    /// <paramref name="transform"/> returns for each; a null return closes the connection there.
    /// </summary>
    public static Pump Messages(Func<int, byte[], IEnumerable<byte[]>?> transform) => async (from, to, cancellationToken) =>
    {
        var header = new byte[2];
        for (int index = 0; ; index++)
        {
            if (await from.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false, cancellationToken) < 2)
            {
                return;
            }

            var message = new byte[2 + BinaryPrimitives.ReadUInt16BigEndian(header)];
            header.CopyTo(message, 0);
            await from.ReadExactlyAsync(message.AsMemory(2), cancellationToken);
            var output = transform(index, message);
            if (output is null)
            {
                return;
            }

            foreach (var part in output)
            {
                await to.WriteAsync(part, cancellationToken);
            }
        }
    };

    public async ValueTask DisposeAsync()
    {
        await _clientSide.DisposeAsync();
        await _serverSide.DisposeAsync();
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        try
        {
            await _pumps;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private static async Task RunAsync(Pump pump, NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        try
        {
            await pump(from, to, cancellationToken);
            to.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // One side went away: close both so the other side sees it too.
            from.Socket.Close();
            to.Socket.Close();
        }
    }
}
