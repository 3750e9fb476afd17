using System.Security.Cryptography;
using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

public sealed class SecureChannelTests
{
    [Fact]
    public async Task ConnectAsync_ExpectedKeyMatches_BothSidesAuthenticateAndExchangeDataBothWays()
    {
        using var timeout = TestTimeout.Create();
        var ct = timeout.Token;
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, ct);
        await using (client)
        await using (server)
        {
            Assert.Equal(bob.PeerId, client.RemotePeerId);
            Assert.Equal(alice.PeerId, server.RemotePeerId);
            Assert.Equal(alice.PublicKey.ToArray(), server.RemoteStaticKey.ToArray());
            Assert.Equal(client.HandshakeHash.ToArray(), server.HandshakeHash.ToArray());

            var up = RandomNumberGenerator.GetBytes(3_000_000);
            var down = RandomNumberGenerator.GetBytes(2_000_000);
            var send = Task.WhenAll(WriteInPiecesAsync(client, up, ct), WriteInPiecesAsync(server, down, ct));
            var receiveUp = ReadExactlyAsync(server, up.Length, 70_000, ct);
            var receiveDown = ReadExactlyAsync(client, down.Length, 1_000, ct);
            await send;
            Assert.Equal(up, await receiveUp);
            Assert.Equal(down, await receiveDown);
        }
    }

    [Fact]
    public async Task ReadAsync_OneByteBuffers_ReturnsEveryByteInOrder()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, timeout.Token);
        await using (client)
        await using (server)
        {
            var data = RandomNumberGenerator.GetBytes(70_000);
            await client.WriteAsync(data, timeout.Token);
            Assert.Equal(data, await ReadExactlyAsync(server, data.Length, 1, timeout.Token));
        }
    }

    [Fact]
    public async Task ReadAsync_PeerClosesAfterWholeRecords_ReturnsEndOfStream()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, timeout.Token);
        await using (server)
        {
            await client.WriteAsync("last words"u8.ToArray(), timeout.Token);
            await client.DisposeAsync();
            Assert.Equal("last words"u8.ToArray(), await ReadExactlyAsync(server, 10, 100, timeout.Token));
            Assert.Equal(0, await server.ReadAsync(new byte[10], timeout.Token));
        }
    }

    [Fact]
    public async Task DisposeAsync_WhileAReadWaits_EndsTheReadAndLaterReadsSayDisposed()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, timeout.Token);
        await using (client)
        {
            var pending = server.ReadAsync(new byte[100], timeout.Token).AsTask();
            await server.DisposeAsync();
            try
            {
                Assert.Equal(0, await pending); // the socket reports end of stream…
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException)
            {
                // …or the aborted receive; either way the read ends.
            }

            await Assert.ThrowsAsync<ObjectDisposedException>(() => server.ReadAsync(new byte[100], timeout.Token).AsTask());
        }
    }

    [Fact]
    public async Task ConnectAsync_ResponderProvesAnotherKey_ThrowsPeerAuthenticationAndBothSidesClose()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var impostor = PeerIdentity.Generate();
        using var expected = PeerIdentity.Generate();
        var (clientStream, serverStream) = await Loopback.ConnectPairAsync(timeout.Token);
        var accept = SecureChannel.AcceptAsync(serverStream, impostor, timeout.Token);

        var error = await Assert.ThrowsAsync<PeerAuthenticationException>(
            () => SecureChannel.ConnectAsync(clientStream, alice, expected.PublicKey, timeout.Token));
        Assert.Equal(expected.PeerId, error.ExpectedPeerId);
        Assert.Equal(impostor.PeerId, error.ActualPeerId);
        Assert.Contains(expected.PeerId, error.Message);
        Assert.Contains(impostor.PeerId, error.Message);
        Assert.False(clientStream.CanRead, "the transport is disposed");

        var serverError = await Assert.ThrowsAsync<SecureChannelException>(() => accept);
        Assert.Contains("closed before the handshake completed", serverError.Message);
    }

    [Fact]
    public async Task ConnectAsync_NoExpectedKey_AcceptsAnyResponder()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (clientStream, serverStream) = await Loopback.ConnectPairAsync(timeout.Token);
        var accept = SecureChannel.AcceptAsync(serverStream, bob, timeout.Token);
        await using var client = await SecureChannel.ConnectAsync(clientStream, alice, null, timeout.Token);
        await using var server = await accept;
        Assert.Equal(bob.PeerId, client.RemotePeerId);
    }

    [Fact]
    public async Task AcceptAsync_DialerSpeaksSomethingElse_FailsAtOnceWithReason()
    {
        using var timeout = TestTimeout.Create();
        using var bob = PeerIdentity.Generate();
        var (clientStream, serverStream) = await Loopback.ConnectPairAsync(timeout.Token);
        await using (clientStream)
        {
            var accept = SecureChannel.AcceptAsync(serverStream, bob, timeout.Token);
            await clientStream.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), timeout.Token);
            var error = await Assert.ThrowsAsync<SecureChannelException>(() => accept);
            Assert.Contains("expected", error.Message);
        }
    }

    [Fact]
    public async Task ConnectAsync_ResponderNeverAnswers_CancellationEndsItAndClosesTheTransport()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (clientStream, serverStream) = await Loopback.ConnectPairAsync(timeout.Token);
        await using (serverStream)
        {
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            var connect = SecureChannel.ConnectAsync(clientStream, alice, bob.PublicKey, handshakeTimeout.Token);
            await serverStream.ReadExactlyAsync(new byte[34], timeout.Token); // message 1 arrived; never answer
            handshakeTimeout.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect);
            Assert.False(clientStream.CanRead);
        }
    }

    private static async Task WriteInPiecesAsync(Stream stream, byte[] data, CancellationToken ct)
    {
        int[] sizes = [1, 100, 65_519, 65_520, 300_000, 7];
        for (int offset = 0, i = 0; offset < data.Length; i++)
        {
            int length = Math.Min(sizes[i % sizes.Length], data.Length - offset);
            await stream.WriteAsync(data.AsMemory(offset, length), ct);
            offset += length;
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int length, int bufferSize, CancellationToken ct)
    {
        var result = new byte[length];
        int offset = 0;
        while (offset < length)
        {
            int read = await stream.ReadAsync(result.AsMemory(offset, Math.Min(bufferSize, length - offset)), ct);
            Assert.NotEqual(0, read);
            offset += read;
        }

        return result;
    }
}
