using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht.Tests;

/// <summary>
/// A node in every routing table that answers pings properly but find_node and get_peers with garbage or with
/// made-up contacts closer to the target than anyone real: lookups still find the holders, and none of the made-up
/// contacts gets into a routing table.
/// </summary>
public sealed class RogueNodeTests
{
    private const int Nodes = 40;
    private const int Keys = 30;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Lookups_succeed_past_a_node_answering_with_garbage_or_bogus_contacts(bool garbage)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var options = TestNetwork.Options with { QueryTimeout = TimeSpan.FromMilliseconds(400) };
        await using var network = await TestNetwork.StartAsync(Nodes, cancellation, options);
        using var rogueSocket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var rogueEndPoint = (IPEndPoint)rogueSocket.Client.LocalEndPoint!;
        var bogus = new ConcurrentDictionary<NodeId, bool>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var rogue = RunRogueAsync(rogueSocket, garbage, bogus, stop.Token);
        foreach (var member in network.Members)
        {
            Assert.True(await member.Node.PingAsync(rogueEndPoint, cancellation));
        }

        // Unsolicited replies full of bogus contacts are dropped too.
        var victim = network.Members[0].Node;
        for (int i = 0; i < 100; i++)
        {
            var buffer = new byte[DhtLimits.MaxDatagram];
            int length = MessageCodec.Encode(BogusNodes(MessageType.Nodes, (uint)i, victim.Id, bogus), buffer);
            await rogueSocket.SendAsync(buffer.AsMemory(0, length), victim.LocalEndPoint, cancellation);
        }

        var keys = Enumerable.Range(0, Keys).ToDictionary(_ => NodeId.Random(), _ => network.Members[Random.Shared.Next(Nodes)]);
        await Task.WhenAll(keys.Select(pair => pair.Value.Node.AnnounceAsync(pair.Key, pair.Value.StaticKey, 7000, cancellation)));

        var found = await Task.WhenAll(keys.Select(async pair =>
        {
            var searcher = network.Members[Random.Shared.Next(Nodes)];
            var result = await searcher.Node.FindHoldersAsync(pair.Key, cancellation);
            return result.Holders.Any(h => h.PeerId == pair.Value.Node.Id);
        }));
        await stop.CancelAsync();
        await rogue;

        Assert.All(found, Assert.True);
        if (!garbage)
        {
            Assert.True(bogus.Count >= 1000, $"the rogue handed out only {bogus.Count} bogus contacts");
        }

        foreach (var member in network.Members)
        {
            var contacts = member.Node.RoutingTable.All();
            Assert.DoesNotContain(contacts, c => bogus.ContainsKey(c.Id));
            Assert.True(contacts.Count <= Nodes, $"routing table of {contacts.Count} contacts in a network of {Nodes + 1}");
        }
    }

    private static async Task RunRogueAsync(UdpClient socket, bool garbage, ConcurrentDictionary<NodeId, bool> bogus, CancellationToken cancellation)
    {
        var self = NodeId.Random();
        var buffer = new byte[DhtLimits.MaxDatagram];
        while (!cancellation.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var query = MessageCodec.Decode(received.Buffer);
            if (!query.IsQuery)
            {
                continue;
            }

            int length;
            if (query.Type == MessageType.Ping)
            {
                length = MessageCodec.Encode(new DhtMessage { Type = MessageType.Pong, TransactionId = query.TransactionId, SenderId = self }, buffer);
            }
            else if (garbage)
            {
                length = MessageCodec.Encode(new DhtMessage { Type = MessageType.Pong, TransactionId = query.TransactionId, SenderId = self }, buffer);
                length += RandomNumberGenerator.GetInt32(1, 200);
                RandomNumberGenerator.Fill(buffer.AsSpan(DhtLimits.HeaderSize, length - DhtLimits.HeaderSize));
                buffer[1] = (byte)(query.Type == MessageType.FindNode ? MessageType.Nodes : MessageType.Peers);
            }
            else
            {
                var type = query.Type == MessageType.GetPeers ? MessageType.Peers : MessageType.Nodes;
                length = MessageCodec.Encode(BogusNodes(type, query.TransactionId, query.Target, bogus), buffer);
            }

            try
            {
                await socket.SendAsync(buffer.AsMemory(0, length), received.RemoteEndPoint, cancellation);
            }
            catch (OperationCanceledException)
            {
                return; // stopped while answering
            }
        }
    }

    /// <summary>Twenty made-up contacts nearer to <paramref name="target"/> than any real node, at ports nobody listens on.</summary>
    private static DhtMessage BogusNodes(MessageType type, uint transaction, NodeId target, ConcurrentDictionary<NodeId, bool> bogus)
    {
        var nodes = new List<Contact>();
        for (int i = 0; i < DhtLimits.MaxNodesPerReply; i++)
        {
            var id = target.RandomWithSharedPrefix(100 + i);
            bogus[id] = true;
            nodes.Add(new Contact(id, new IPEndPoint(IPAddress.Loopback, Random.Shared.Next(20_000, 30_000))));
        }

        return new DhtMessage
        {
            Type = type,
            TransactionId = transaction,
            SenderId = NodeId.Random(),
            Nodes = nodes,
            Token = RandomNumberGenerator.GetBytes(DhtLimits.TokenSize),
        };
    }
}
