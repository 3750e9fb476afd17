using System.Security.Cryptography;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Core.Tests.Crypto;

namespace P2PShare.Core.Tests.Protocol;

/// <summary>The peer-wire protocol inside the secure channel over real loopback TCP sockets.</summary>
public sealed class SecureWireTests
{
    [Fact]
    public async Task ReadAsync_EveryMessageTypeBothWays_ArrivesIntact()
    {
        using var timeout = TestTimeout.Create();
        var ct = timeout.Token;
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, ct);
        await using var clientReader = FrameReader.Create(client, leaveOpen: true);
        await using var serverReader = FrameReader.Create(server, leaveOpen: true);
        using var clientWriter = new FrameWriter(client);
        using var serverWriter = new FrameWriter(server);
        await using (client)
        await using (server)
        {
            var messages = SampleMessages.All();
            var sends = Task.WhenAll(SendAllAsync(clientWriter, messages, ct), SendAllAsync(serverWriter, messages, ct));
            foreach (var reader in new[] { serverReader, clientReader })
            {
                foreach (var expected in messages)
                {
                    using var result = await reader.ReadAsync(ct);
                    Assert.Equal(FrameReadStatus.Message, result.Status);
                    SampleMessages.AssertSame(expected, result.Message);
                }
            }

            await sends;
        }
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentWriters_FramesNeverInterleave()
    {
        using var timeout = TestTimeout.Create();
        var ct = timeout.Token;
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, ct);
        await using var reader = FrameReader.Create(server, leaveOpen: true);
        using var writer = new FrameWriter(client);
        await using (client)
        await using (server)
        {
            var chunks = Enumerable.Range(0, 40).Select(i => RandomNumberGenerator.GetBytes(1000 + (i * 6000))).ToArray();
            var writers = Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(
                async () =>
                {
                    for (int i = w; i < chunks.Length; i += 4)
                    {
                        await writer.WriteAsync(new Piece(SampleMessages.FileId, i, chunks[i]), ct);
                        await writer.WriteAsync(new Have(SampleMessages.FileId, i), ct);
                    }
                },
                ct)));

            var seen = new HashSet<int>();
            for (int n = 0; n < 2 * chunks.Length; n++)
            {
                using var result = await reader.ReadAsync(ct);
                Assert.Equal(FrameReadStatus.Message, result.Status);
                if (result.Message is Piece piece)
                {
                    Assert.Equal(chunks[piece.Index], piece.Data.ToArray());
                    Assert.True(seen.Add(piece.Index));
                }
            }

            await writers;
            Assert.Equal(chunks.Length, seen.Count);
        }
    }

    [Fact]
    public async Task RunAsync_PeerSendsMalformedFrame_LogsReasonAndReturnsWithoutThrowing()
    {
        using var timeout = TestTimeout.Create();
        var ct = timeout.Token;
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, ct);
        await using (client)
        await using (server)
        {
            await using var reader = FrameReader.Create(server, leaveOpen: true);
            var logger = new ListLogger();
            var received = new List<MessageType>();
            await client.WriteAsync(WireBytes.Encode(new Have(SampleMessages.FileId, 3)), ct);
            await client.WriteAsync(WireBytes.Frame(0x7FFFFFFF, 9, []), ct); // claims 2 GiB

            var status = await FrameReadLoop.RunAsync(reader, (m, _) => { received.Add(m.Type); return ValueTask.CompletedTask; }, logger, alice.PeerId, ct);

            Assert.Equal(FrameReadStatus.Malformed, status);
            Assert.Equal([MessageType.Have], received);
            var entry = Assert.Single(logger.Entries);
            Assert.Equal(4102, entry.Id.Id);
            Assert.Contains(alice.PeerId, entry.Message);
            Assert.Contains("frame length 2147483647 is outside", entry.Message);
        }
    }

    [Fact]
    public async Task RunAsync_RecordTamperedInTransit_LogsTransportFailure()
    {
        using var timeout = TestTimeout.Create();
        var ct = timeout.Token;
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        const long FirstRecordCiphertext = (2 + 32) + (2 + 64) + 2 + 10; // past the handshake and a record header
        await using var proxy = await TamperingProxy.StartAsync(TamperingProxy.FlipByteAt(FirstRecordCiphertext), TamperingProxy.Forward, ct);
        var accept = SecureChannel.AcceptAsync(proxy.Server, bob, ct);
        await using var client = await SecureChannel.ConnectAsync(proxy.Client, alice, bob.PublicKey, ct);
        await using var server = await accept;
        await using var reader = FrameReader.Create(server, leaveOpen: true);
        using var writer = new FrameWriter(client);
        var logger = new ListLogger();

        await writer.WriteAsync(new Request(SampleMessages.FileId, 1), ct);
        var status = await FrameReadLoop.RunAsync(reader, (_, _) => throw new InvalidOperationException("no message may arrive"), logger, alice.PeerId, ct);

        Assert.Equal(FrameReadStatus.TransportFailed, status);
        Assert.Contains("failed authentication", Assert.Single(logger.Entries).Message);
    }

    [Fact]
    public async Task RunAsync_PeerCloses_ReturnsEndOfStream()
    {
        using var timeout = TestTimeout.Create();
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (client, server) = await Loopback.SecurePairAsync(alice, bob, timeout.Token);
        await using (server)
        {
            await using var reader = FrameReader.Create(server, leaveOpen: true);
            await client.DisposeAsync();
            var status = await FrameReadLoop.RunAsync(reader, (_, _) => ValueTask.CompletedTask, new ListLogger(), alice.PeerId, timeout.Token);
            Assert.Equal(FrameReadStatus.EndOfStream, status);
        }
    }

    private static async Task SendAllAsync(FrameWriter writer, PeerMessage[] messages, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            await writer.WriteAsync(message, ct);
        }
    }
}
