using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Crypto;
using P2PShare.Core.Throttling;
using P2PShare.Net.Tcp;
using P2PShare.Peer.Connection;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Tests.P2P;

public sealed class LinkFactoryTests
{
    [Fact]
    public async Task AcceptAsync_RemoteSendsNothing_GivesUpWhenTheNodesClockPassesTheHandshakeTimeout()
    {
        var clock = new FakeTimeProvider();
        using var identity = PeerIdentity.Generate();
        var directory = new LinkDirectory();
        var holdings = new LocalHoldings(null!, null!, null!, clock); // never reached: the handshake fails first
        var factory = new LinkFactory(identity, holdings, directory, new ConnectionRegistry(clock), new BandwidthLimits(0, 0, clock), 0, clock, NullLoggerFactory.Instance);

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, TestContext.Current.CancellationToken);
        var accepted = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
        var connection = new TcpPeerConnection(new NetworkStream(accepted, ownsSocket: true), accepted.RemoteEndPoint);

        var accepting = factory.AcceptAsync(connection, TestContext.Current.CancellationToken);
        clock.Advance(LinkFactory.HandshakeTimeout - TimeSpan.FromSeconds(1));
        Assert.False(accepting.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
        Assert.Equal(0, await idle.GetStream().ReadAsync(new byte[1], TestContext.Current.CancellationToken)); // transport closed
    }
}
