using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht.Tests;

/// <summary>Malformed, oversized, spoofed and flooding input reaches a real node over UDP and is shrugged off.</summary>
public sealed class HostileInputTests
{
    private static DhtMessage Ping(uint transaction) =>
        new() { Type = MessageType.Ping, TransactionId = transaction, SenderId = NodeId.Random() };

    [Fact]
    public async Task Malformed_and_oversized_datagrams_are_dropped_and_the_node_keeps_answering()
    {
        await using var node = DhtNode.Start(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 0), TestNetwork.Options);
        using var raw = new RawSocket();
        var valid = new byte[DhtLimits.MaxDatagram];
        int validLength = MessageCodec.Encode(new DhtMessage
        {
            Type = MessageType.Nodes,
            TransactionId = 1,
            SenderId = NodeId.Random(),
            Nodes = [new Contact(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 9))],
        }, valid);
        List<byte[]> hostile =
        [
            [],
            [1],
            RandomNumberGenerator.GetBytes(DhtLimits.MaxDatagram + 1),
            new byte[60_000],
            [2, 1, 0, 0, 0, 1, .. new byte[20]], // unknown version
            [1, 0x55, 0, 0, 0, 1, .. new byte[20]], // unknown type
            [1, (byte)MessageType.FindNode, 0, 0, 0, 1, .. new byte[10]], // target cut short
            [1, (byte)MessageType.Nodes, 0, 0, 0, 1, .. new byte[20], 200], // count over the limit
            valid[..(validLength - 1)], // last node cut short
        ];
        for (int i = 0; i < 200; i++)
        {
            hostile.Add(RandomNumberGenerator.GetBytes(Random.Shared.Next(1, DhtLimits.MaxDatagram)));
        }

        foreach (var datagram in hostile)
        {
            await raw.SendAsync(datagram, node.LocalEndPoint);
        }

        var pong = await raw.AskAsync(Ping(42), node.LocalEndPoint);
        Assert.Equal(MessageType.Pong, pong?.Type);
        Assert.True(node.Status.DatagramsDropped >= 9, $"only {node.Status.DatagramsDropped} datagrams counted as dropped");
        Assert.Empty(node.RoutingTable.All());
    }

    [Fact]
    public async Task An_announce_with_a_token_issued_to_another_address_or_a_made_up_token_is_refused()
    {
        await using var node = DhtNode.Start(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 0), TestNetwork.Options);
        using var asker = new RawSocket();
        using var spoofer = new RawSocket();
        var staticKey = RandomNumberGenerator.GetBytes(32);
        var peerId = NodeId.FromStaticKey(staticKey);
        var key = NodeId.Random();
        var peers = await asker.AskAsync(new DhtMessage { Type = MessageType.GetPeers, TransactionId = 1, SenderId = peerId, Target = key }, node.LocalEndPoint);
        Assert.Equal(MessageType.Peers, peers?.Type);
        DhtMessage Announce(uint transaction, ReadOnlyMemory<byte> token) => new()
        {
            Type = MessageType.Announce,
            TransactionId = transaction,
            SenderId = peerId,
            Target = key,
            Token = token,
            StaticKey = staticKey,
            Port = 6881,
        };

        var stolen = await spoofer.AskAsync(Announce(2, peers!.Token), node.LocalEndPoint);
        var madeUp = await asker.AskAsync(Announce(3, RandomNumberGenerator.GetBytes(DhtLimits.TokenSize)), node.LocalEndPoint);
        Assert.Equal(DhtErrorCode.BadToken, stolen?.Error);
        Assert.Equal(DhtErrorCode.BadToken, madeUp?.Error);

        using var searcher = new RawSocket();
        var before = await searcher.AskAsync(new DhtMessage { Type = MessageType.GetPeers, TransactionId = 5, SenderId = NodeId.Random(), Target = key }, node.LocalEndPoint);
        Assert.Empty(before!.Holders);

        var genuine = await asker.AskAsync(Announce(6, peers.Token), node.LocalEndPoint);
        Assert.Equal(MessageType.Announced, genuine?.Type);
        var after = await searcher.AskAsync(new DhtMessage { Type = MessageType.GetPeers, TransactionId = 7, SenderId = NodeId.Random(), Target = key }, node.LocalEndPoint);
        var holder = Assert.Single(after!.Holders);
        Assert.Equal(peerId, holder.PeerId);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6881), holder.EndPoint);
    }

    [Fact]
    public async Task A_reply_to_an_unpadded_query_is_at_most_three_times_its_size()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var network = await TestNetwork.StartAsync(40, cancellation);
        var node = network.Members[0].Node;
        using var raw = new RawSocket();
        var query = new byte[DhtLimits.HeaderSize + NodeId.Size];
        query[0] = DhtLimits.Version;
        query[1] = (byte)MessageType.GetPeers;
        query[5] = 9;
        RandomNumberGenerator.Fill(query.AsSpan(6));
        await raw.SendAsync(query, node.LocalEndPoint);
        var reply = await raw.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(reply);
        Assert.InRange(reply.Value.Buffer.Length, DhtLimits.HeaderSize, DhtLimits.AmplificationFactor * query.Length);
        Assert.Equal(MessageType.Peers, MessageCodec.Decode(reply.Value.Buffer).Type);

        var padded = await raw.AskAsync(new DhtMessage { Type = MessageType.FindNode, TransactionId = 10, SenderId = NodeId.Random(), Target = NodeId.Random() }, node.LocalEndPoint);
        Assert.Equal(DhtLimits.MaxNodesPerReply, padded!.Nodes.Count);
    }

    [Fact]
    public async Task A_flood_from_one_source_gets_at_most_the_per_source_limit_of_replies()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var options = TestNetwork.Options with { QueriesPerSecondPerSource = 20 };
        await using var node = DhtNode.Start(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 0), options, time);
        using var flooder = new RawSocket();
        for (uint i = 0; i < 300; i++)
        {
            await flooder.SendAsync(Ping(i), node.LocalEndPoint);
        }

        int pongs = 0;
        while (await flooder.ReceiveAsync(TimeSpan.FromSeconds(1)) is { } received)
        {
            if (MessageCodec.Decode(received.Buffer).Type == MessageType.Pong)
            {
                pongs++;
            }
        }

        Assert.Equal(20, pongs);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(MessageType.Pong, (await flooder.AskAsync(Ping(1000), node.LocalEndPoint))?.Type);
    }
}
