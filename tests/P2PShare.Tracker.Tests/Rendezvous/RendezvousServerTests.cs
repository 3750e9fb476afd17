using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.Protocol.Rendezvous;
using P2PShare.Net.Relay;
using P2PShare.Tracker.Rendezvous;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Rendezvous;

/// <summary>The UDP rendezvous over real sockets on 127.0.0.1, and the punch coordination that uses its observations.</summary>
public sealed class RendezvousServerTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task SignedRequest_IsAnsweredWithTheObservedEndpoint_SmallerThanTheRequest_AndRecordedOnThePeer()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var peer = await RelayPeer.StartAsync(host, connect: false);
        var (primary, alternate) = host.Service<RendezvousServer>().Ports;
        using var socket = Connected(primary);

        var answer = await AskAsync(socket, peer.PeerId, peer.Token, NatMapping.EndpointIndependent);

        Assert.NotNull(answer);
        Assert.Equal(socket.LocalEndPoint, answer.Value.Observed);
        Assert.Equal(alternate, answer.Value.Alternate);
        Assert.True(RendezvousPacket.AnswerSize < RendezvousPacket.RequestSize);
        using var listed = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/peers/{peer.PeerId}", host.Token));
        Assert.Equal(socket.LocalEndPoint!.ToString(), listed.RootElement.GetProperty("udp_endpoint").GetString());
        Assert.Equal("endpoint-independent", listed.RootElement.GetProperty("nat_mapping").GetString());
    }

    [Fact]
    public async Task WrongToken_UnknownPeer_WrongSize_AndGarbage_GetNoAnswer_WhileAGoodRequestStillDoes()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var peer = await RelayPeer.StartAsync(host, connect: false);
        using var socket = Connected(host.Service<RendezvousServer>().Ports.Primary);

        Assert.Null(await AskAsync(socket, peer.PeerId, "not-the-token", NatMapping.Unknown));
        Assert.Null(await AskAsync(socket, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), peer.Token, NatMapping.Unknown));
        var request = new byte[RendezvousPacket.RequestSize];
        RendezvousPacket.WriteRequest(request, Convert.FromHexString(peer.PeerId), 1, NatMapping.Unknown, peer.Token);
        await socket.SendAsync(request.AsMemory(0, 40), host.Token);
        await socket.SendAsync(new byte[2000], host.Token);
        await socket.SendAsync(RandomNumberGenerator.GetBytes(RendezvousPacket.RequestSize), host.Token);
        Assert.Null(await ReceiveAsync(socket, Quiet));

        Assert.NotNull(await AskAsync(socket, peer.PeerId, peer.Token, NatMapping.Unknown));
    }

    [Fact]
    public async Task AFloodFromOneSource_IsAnsweredOnlyUpToItsBurst()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var peer = await RelayPeer.StartAsync(host, connect: false);
        using var socket = Connected(host.Service<RendezvousServer>().Ports.Primary);
        var request = new byte[RendezvousPacket.RequestSize];
        RendezvousPacket.WriteRequest(request, Convert.FromHexString(peer.PeerId), 7, NatMapping.Unknown, peer.Token);

        for (int i = 0; i < 100; i++)
        {
            await socket.SendAsync(request, host.Token);
        }

        int answers = 0;
        while (await ReceiveAsync(socket, Quiet) is not null)
        {
            answers++;
        }

        // The host's clock is fake and does not move, so the bucket never refills: exactly the burst is answered.
        Assert.Equal(20, answers);
    }

    [Fact]
    public async Task PunchRequest_GivesBothPeersTheOthersObservedEndpoint_AndOneToken_TheSymmetricSideOpens()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        await using var b = await RelayPeer.StartAsync(host);
        int primary = host.Service<RendezvousServer>().Ports.Primary;
        using var aSocket = Connected(primary);
        using var bSocket = Connected(primary);

        var refused = await Assert.ThrowsAsync<RelayRefusedException>(() => a.Client.RequestPunchAsync(b.PeerId, host.Token));
        Assert.Equal(RelayErrorCodes.NoUdp, refused.Code);

        Assert.NotNull(await AskAsync(aSocket, a.PeerId, a.Token, NatMapping.EndpointIndependent));
        Assert.NotNull(await AskAsync(bSocket, b.PeerId, b.Token, NatMapping.EndpointDependent));
        host.Time.Advance(TimeSpan.FromSeconds(1)); // past the per-asker punch interval
        var answer = await a.Client.RequestPunchAsync(b.PeerId, host.Token);
        var offer = await b.Client.PunchOffers.ReadAsync(host.Token);

        Assert.Equal(bSocket.LocalEndPoint!.ToString(), answer.Endpoint);
        Assert.Equal(aSocket.LocalEndPoint!.ToString(), offer.Endpoint);
        Assert.Equal(a.PeerId, offer.From);
        Assert.Equal(answer.PunchToken, offer.PunchToken);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(answer.PunchToken).Length);
        Assert.False(answer.Hello);
        Assert.True(offer.Hello);
    }

    private static Socket Connected(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static async Task<(IPEndPoint Observed, int Alternate)?> AskAsync(Socket socket, string peerId, string token, NatMapping report)
    {
        ulong nonce = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var request = new byte[RendezvousPacket.RequestSize];
        RendezvousPacket.WriteRequest(request, Convert.FromHexString(peerId), nonce, report, token);
        await socket.SendAsync(request, TestContext.Current.CancellationToken);
        if (await ReceiveAsync(socket, TimeSpan.FromSeconds(5)) is not { } answer)
        {
            return null;
        }

        Assert.True(RendezvousPacket.TryReadAnswer(answer, nonce, token, out var observed, out int alternate));
        return (observed, alternate);
    }

    private static async Task<byte[]?> ReceiveAsync(Socket socket, TimeSpan wait)
    {
        var buffer = new byte[2048];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            int length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..length];
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
