using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Transport;
using P2PShare.Net.Streams;
using P2PShare.Net.Tcp;

namespace P2PShare.Net.Tests.Tcp;

public sealed class TcpPeerTransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAndAccept_Loopback_BytesFlowBothWays()
    {
        await using var transport = TcpPeerTransport.Start(IPAddress.Loopback, 0);
        var address = new PeerAddress(new string('a', 40), "127.0.0.1", transport.LocalEndPoint.Port);

        var accepting = transport.AcceptAsync(Ct).AsTask();
        await using var client = await transport.ConnectAsync(address, Ct);
        await using var server = await accepting.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await client.Stream.WriteAsync("ping"u8.ToArray(), Ct);
        var buffer = new byte[4];
        await server.Stream.ReadExactlyAsync(buffer, Ct);
        Assert.Equal("ping"u8.ToArray(), buffer);
        Assert.Equal(ConnectionKind.Direct, client.Kind);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)server.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task ConnectAsync_NobodyListening_ThrowsIOException()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var transport = TcpPeerTransport.Start(IPAddress.Loopback, 0);

        await Assert.ThrowsAsync<IOException>(async () => await transport.ConnectAsync(new PeerAddress("p", "127.0.0.1", port), Ct));
    }

    [Fact]
    public async Task ConnectAsync_HostNotAnAddress_ThrowsIOException()
    {
        await using var transport = TcpPeerTransport.Start(IPAddress.Loopback, 0);

        var error = await Assert.ThrowsAsync<IOException>(async () => await transport.ConnectAsync(new PeerAddress("p", "not an ip", 1), Ct));
        Assert.Contains("not an IP address", error.Message);
    }

    [Fact]
    public async Task AcceptAsync_TransportDisposedWhileWaiting_EndsWithoutHanging()
    {
        var transport = TcpPeerTransport.Start(IPAddress.Loopback, 0);
        var accepting = transport.AcceptAsync(Ct).AsTask();

        await transport.DisposeAsync();

        var error = await Record.ExceptionAsync(() => accepting.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.True(error is ObjectDisposedException or SocketException or OperationCanceledException, error?.GetType().Name);
    }

    [Fact]
    public async Task CountingStream_OverRealSocket_CountsEachDirection()
    {
        await using var transport = TcpPeerTransport.Start(IPAddress.Loopback, 0);
        var accepting = transport.AcceptAsync(Ct).AsTask();
        await using var client = await transport.ConnectAsync(new PeerAddress("p", "127.0.0.1", transport.LocalEndPoint.Port), Ct);
        await using var server = await accepting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        long sent = 0;
        long received = 0;
        var counted = new CountingStream(client.Stream, n => received += n, n => sent += n);

        await counted.WriteAsync(new byte[1000], Ct);
        await server.Stream.WriteAsync(new byte[300], Ct);
        await counted.ReadExactlyAsync(new byte[300], Ct);

        Assert.Equal(1000, sent);
        Assert.Equal(300, received);
    }
}
