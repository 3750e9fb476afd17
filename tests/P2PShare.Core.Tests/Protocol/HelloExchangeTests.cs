using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Core.Tests.Crypto;

namespace P2PShare.Core.Tests.Protocol;

public sealed class HelloExchangeTests
{
    [Fact]
    public async Task RunAsync_BothSpeakVersionOne_AgreeOnIt()
    {
        var (client, server, _) = await RunAsync(
            (alice, _) => Hello.ForThisBuild(alice.PeerId, 0, "a"),
            (bob, _) => Hello.ForThisBuild(bob.PeerId, 6881, "b"));
        Assert.True(client.Succeeded, client.FailureReason);
        Assert.True(server.Succeeded, server.FailureReason);
        Assert.Equal((ushort)1, client.Version);
        Assert.Equal((ushort)6881, client.Remote!.ListenPort);
        Assert.Equal("a", server.Remote!.Agent);
    }

    [Fact]
    public async Task RunAsync_OverlappingRanges_BothPickTheHighestCommonVersion()
    {
        var (client, server, _) = await RunAsync(
            (alice, _) => new Hello(1, 3, alice.PeerId, 0, "a"),
            (bob, _) => new Hello(2, 5, bob.PeerId, 0, "b"));
        Assert.Equal(((ushort)3, (ushort)3), (client.Version, server.Version));
    }

    [Fact]
    public async Task RunAsync_NoCommonVersion_BothFailAndTheReasonIsSent()
    {
        var (client, server, _) = await RunAsync(
            (alice, _) => new Hello(1, 1, alice.PeerId, 0, "old"),
            (bob, _) => new Hello(2, 2, bob.PeerId, 0, "new"));
        Assert.False(client.Succeeded);
        Assert.False(server.Succeeded);
        Assert.Contains("no common version: we speak 1–1, the peer 2–2", client.FailureReason);
    }

    [Fact]
    public async Task RunAsync_HelloNamesAnotherPeer_RefusedWithIdentityMismatch()
    {
        var (client, server, errorSentToClient) = await RunAsync(
            (alice, bob) => Hello.ForThisBuild(bob.PeerId, 0, "liar"),
            (bob, _) => Hello.ForThisBuild(bob.PeerId, 0, "b"));
        Assert.False(server.Succeeded);
        Assert.Contains("but the channel authenticated", server.FailureReason);
        Assert.True(client.Succeeded, "the server's own Hello was fine");
        Assert.Equal(ErrorCode.IdentityMismatch, errorSentToClient);
    }

    /// <summary>
    /// Handshakes alice (client) with bob (server), then runs the Hello exchange on both sides at once. When the
    /// server refuses, also returns the Error code the client then reads.
    /// </summary>
    private static async Task<(HelloOutcome Client, HelloOutcome Server, ErrorCode? ErrorSentToClient)> RunAsync(Func<PeerIdentity, PeerIdentity, Hello> clientHello, Func<PeerIdentity, PeerIdentity, Hello> serverHello)
    {
        using var timeout = TestTimeout.Create();
        var ct = timeout.Token;
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, ct);
        await using (client)
        await using (server)
        {
            await using var clientReader = FrameReader.Create(client, leaveOpen: true);
            await using var serverReader = FrameReader.Create(server, leaveOpen: true);
            using var clientWriter = new FrameWriter(client);
            using var serverWriter = new FrameWriter(server);
            var clientSide = HelloExchange.RunAsync(clientReader, clientWriter, clientHello(alice, bob), client.RemotePeerId, ct);
            var serverSide = HelloExchange.RunAsync(serverReader, serverWriter, serverHello(bob, alice), server.RemotePeerId, ct);
            var serverOutcome = await serverSide;
            var clientOutcome = await clientSide;
            ErrorCode? errorSent = null;
            if (!serverOutcome.Succeeded && clientOutcome.Succeeded)
            {
                using var next = await clientReader.ReadAsync(ct);
                errorSent = (next.Message as Error)?.Code;
            }

            return (clientOutcome, serverOutcome, errorSent);
        }
    }
}
