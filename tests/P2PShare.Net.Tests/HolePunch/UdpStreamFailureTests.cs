using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PShare.Net.HolePunch;

namespace P2PShare.Net.Tests.HolePunch;

public sealed class UdpStreamFailureTests
{
    private static readonly UdpStreamOptions ShortTimeouts = new()
    {
        IdleTimeout = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(1),
        CloseTimeout = TimeSpan.FromSeconds(1),
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PeerVanishes_WhileWriting_WriterGetsIOException()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, ShortTimeouts);
        await pair.Client.Stream.WriteAsync(new byte[100_000], Ct);
        await pair.Server.Stream.ReadExactlyAsync(new byte[100_000], Ct);

        await pair.SocketB.DisposeAsync(); // no CLOSE: the peer is simply gone

        var chunk = new byte[64 * 1024];
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (true)
            {
                await pair.Client.Stream.WriteAsync(chunk, Ct);
            }
        });
    }

    [Fact]
    public async Task PeerVanishes_WhileReading_ReaderGetsIOException()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, ShortTimeouts);

        await pair.SocketB.DisposeAsync();

        await Assert.ThrowsAsync<IOException>(async () => await pair.Client.Stream.ReadExactlyAsync(new byte[10], Ct));
    }

    [Fact]
    public async Task PeerCloses_ReaderGetsTheBytesThenEndOfStream_WriterGetsIOException()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, ShortTimeouts);
        await pair.Server.Stream.WriteAsync("last words"u8.ToArray(), Ct);

        await pair.Server.DisposeAsync();

        var all = new MemoryStream();
        await pair.Client.Stream.CopyToAsync(all, Ct);
        Assert.Equal("last words"u8.ToArray(), all.ToArray());
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (true)
            {
                await pair.Client.Stream.WriteAsync(new byte[1000], Ct); // the first writes may race the peer's CLOSE
                await Task.Yield();
            }
        });
    }

    [Fact]
    public async Task ConnectAsync_WrongToken_ThrowsIOExceptionAndNothingIsAccepted()
    {
        await using var a = UdpStreamSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), ShortTimeouts);
        await using var b = UdpStreamSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), ShortTimeouts);
        b.AllowToken(RandomNumberGenerator.GetBytes(32));

        await Assert.ThrowsAsync<IOException>(async () => await a.ConnectAsync(b.LocalEndPoint, RandomNumberGenerator.GetBytes(32), Ct));

        Assert.Equal(0, b.ConnectionCount);
    }

    [Fact]
    public async Task ForgedDatagramFlood_DuringATransfer_IsDroppedAndTheTransferCompletes()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct);
        var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        var transfer = UdpStreamPair.TransferAsync(pair.Client.Stream, pair.Server.Stream, data, Ct, close: false);

        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var random = new Random(7);
        var datagram = new byte[1400];
        for (var i = 0; i < 50_000; i++)
        {
            random.NextBytes(datagram);
            datagram[0] = (byte)(1 + (i % 4)); // every packet type, with random IDs, numbers and tags
            if (i % 4 == 0)
            {
                BinaryPrimitives.WriteUInt64BigEndian(datagram.AsSpan(1), 0); // a HELLO that must fail its HMAC
            }

            attacker.SendTo(datagram.AsSpan(0, 1 + random.Next(datagram.Length - 1)), SocketFlags.None, i % 2 == 0 ? pair.SocketA.LocalEndPoint : pair.SocketB.LocalEndPoint);
        }

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await transfer));
        Assert.Equal(1, pair.SocketA.ConnectionCount);
        Assert.Equal(1, pair.SocketB.ConnectionCount);
    }

    [Fact]
    public async Task ReaderStops_WriterIsHeldAtTheWindowAndBuffersStayBounded()
    {
        var options = new UdpStreamOptions { SendBufferBytes = 1024 * 1024, ReceiveWindowBytes = 512 * 1024 };
        await using var pair = await UdpStreamPair.OpenAsync(Ct, options);
        var chunk = new byte[256 * 1024];

        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 64; i++)
            {
                await pair.Client.Stream.WriteAsync(chunk, Ct);
            }
        }, Ct);

        // Wait until the sender has used the whole window the reader granted; it can then go no further.
        while (pair.Server.BytesBuffered < options.ReceiveWindowBytes)
        {
            await Task.Delay(20, Ct);
        }

        await Task.Delay(200, Ct);
        Assert.False(writing.IsCompleted);
        Assert.Equal(options.ReceiveWindowBytes, pair.Server.BytesBuffered);
        Assert.True(pair.Client.BytesUnacknowledged <= options.SendBufferBytes);

        var drained = new byte[64 * 256 * 1024];
        await pair.Server.Stream.ReadExactlyAsync(drained, Ct);
        await writing;
    }
}
