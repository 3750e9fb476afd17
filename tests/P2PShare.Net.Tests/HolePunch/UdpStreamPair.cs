using System.Net;
using System.Security.Cryptography;
using P2PShare.Net.HolePunch;

namespace P2PShare.Net.Tests.HolePunch;

/// <summary>Two UDP stream sockets on 127.0.0.1 and one stream between them, optionally through a forwarder.</summary>
internal sealed class UdpStreamPair : IAsyncDisposable
{
    private UdpStreamPair(UdpStreamSocket a, UdpStreamSocket b, ImpairedUdpForwarder? forwarder, UdpStreamConnection client, UdpStreamConnection server)
    {
        SocketA = a;
        SocketB = b;
        Forwarder = forwarder;
        Client = client;
        Server = server;
    }

    public UdpStreamSocket SocketA { get; }

    public UdpStreamSocket SocketB { get; }

    public ImpairedUdpForwarder? Forwarder { get; }

    public UdpStreamConnection Client { get; }

    public UdpStreamConnection Server { get; }

    public static async Task<UdpStreamPair> OpenAsync(CancellationToken ct, UdpStreamOptions? options = null, double loss = 0, double duplicate = 0, double reorder = 0)
    {
        var token = RandomNumberGenerator.GetBytes(32);
        var a = UdpStreamSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), options);
        var b = UdpStreamSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), options);
        b.AllowToken(token);
        ImpairedUdpForwarder? forwarder = loss + duplicate + reorder > 0 ? new ImpairedUdpForwarder(b.LocalEndPoint, loss, duplicate, reorder, seed: 1234) : null;
        var accepting = b.AcceptAsync(ct).AsTask();
        var client = await a.ConnectAsync(forwarder?.EndPoint ?? b.LocalEndPoint, token, ct);
        var server = await accepting.WaitAsync(TimeSpan.FromSeconds(30), ct);
        return new UdpStreamPair(a, b, forwarder, client, server);
    }

    /// <summary>
    /// Writes <paramref name="data"/> on one end while the other reads it. With <paramref name="close"/> the writer
    /// closes afterwards and the reader reads to the end of the stream; otherwise it reads exactly the length.
    /// </summary>
    public static async Task<byte[]> TransferAsync(Stream writer, Stream reader, byte[] data, CancellationToken ct, bool close = true)
    {
        var writing = Task.Run(async () =>
        {
            for (var at = 0; at < data.Length; at += 100_000)
            {
                await writer.WriteAsync(data.AsMemory(at, Math.Min(100_000, data.Length - at)), ct);
            }

            if (close)
            {
                await writer.DisposeAsync();
            }
        }, ct);
        byte[] received;
        if (close)
        {
            var all = new MemoryStream();
            await reader.CopyToAsync(all, ct);
            received = all.ToArray();
        }
        else
        {
            received = new byte[data.Length];
            await reader.ReadExactlyAsync(received, ct);
        }

        await writing;
        return received;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        if (Forwarder is not null)
        {
            await Forwarder.DisposeAsync();
        }

        await SocketA.DisposeAsync();
        await SocketB.DisposeAsync();
    }
}
