using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

/// <summary>The shared in-memory transport behaves like a TCP connection where the tests rely on it.</summary>
public sealed class InMemoryConnectionTests
{
    [Fact]
    public async Task SecureChannel_OverInMemoryPair_HandshakesAndCarriesBytes()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (a, b) = InMemoryConnection.CreatePair();
        await using var _ = a;
        await using var __ = b;

        var accept = SecureChannel.AcceptAsync(b.Stream, bob, timeout.Token);
        await using var client = await SecureChannel.ConnectAsync(a.Stream, alice, bob.PublicKey, timeout.Token);
        await using var server = await accept;
        await client.WriteAsync("hello"u8.ToArray(), timeout.Token);
        await client.FlushAsync(timeout.Token);
        var buffer = new byte[5];
        await server.ReadExactlyAsync(buffer, timeout.Token);

        Assert.Equal("hello"u8.ToArray(), buffer);
        Assert.Equal(bob.PeerId, client.RemotePeerId);
    }

    [Fact]
    public async Task Write_BeyondTheBuffer_WaitsForTheReader()
    {
        using var timeout = TestTimeout.Create();
        var (a, b) = InMemoryConnection.CreatePair(bufferBytes: 1024);
        await using var _ = a;
        await using var __ = b;

        var write = a.Stream.WriteAsync(new byte[4096], timeout.Token).AsTask();
        await Task.Delay(100, timeout.Token);
        Assert.False(write.IsCompleted, "a write four times the buffer completed with nobody reading");

        await b.Stream.ReadExactlyAsync(new byte[4096], timeout.Token);
        await write;
    }

    [Fact]
    public async Task CompleteWrites_OtherEndReadsTheRestThenEndOfStream_AndCanStillSend()
    {
        using var timeout = TestTimeout.Create();
        var (a, b) = InMemoryConnection.CreatePair();
        await using var _ = a;
        await using var __ = b;

        await a.Stream.WriteAsync(new byte[] { 1, 2, 3 }, timeout.Token);
        a.CompleteWrites();
        var received = new byte[8];

        Assert.Equal(3, await b.Stream.ReadAtLeastAsync(received, 3, throwOnEndOfStream: false, timeout.Token));
        Assert.Equal(0, await b.Stream.ReadAsync(received, timeout.Token));
        await b.Stream.WriteAsync(new byte[] { 9 }, timeout.Token);
        Assert.Equal(1, await a.Stream.ReadAsync(received, timeout.Token));
    }

    [Fact]
    public async Task Dispose_OtherEndReadsEndOfStreamAndItsWritesFail()
    {
        using var timeout = TestTimeout.Create();
        var (a, b) = InMemoryConnection.CreatePair(bufferBytes: 1024);
        await using var __ = b;
        var pendingRead = a.Stream.ReadAsync(new byte[1], timeout.Token).AsTask();

        await a.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pendingRead);
        Assert.Equal(0, await b.Stream.ReadAsync(new byte[1], timeout.Token));
        await Assert.ThrowsAsync<IOException>(async () => await b.Stream.WriteAsync(new byte[1], timeout.Token));
    }
}
