using System.Net;
using System.Security.Cryptography;
using CsCheck;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht.Tests;

public sealed class MessageCodecTests
{
    [Fact]
    public void Random_bytes_either_decode_or_fail_as_malformed()
    {
        Gen.Byte.Array[0, DhtLimits.MaxDatagram + 10].Sample(bytes =>
        {
            try
            {
                MessageCodec.Decode(bytes);
            }
            catch (MalformedMessageException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Every_truncation_of_a_peers_reply_fails_as_malformed()
    {
        var buffer = new byte[DhtLimits.MaxDatagram];
        var key = RandomNumberGenerator.GetBytes(32);
        int length = MessageCodec.Encode(new DhtMessage
        {
            Type = MessageType.Peers,
            TransactionId = 7,
            SenderId = NodeId.Random(),
            Token = RandomNumberGenerator.GetBytes(DhtLimits.TokenSize),
            Holders = [new Holder(NodeId.FromStaticKey(key), key, new IPEndPoint(IPAddress.IPv6Loopback, 6881))],
            Nodes = [new Contact(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 6881))],
        }, buffer);
        var decoded = MessageCodec.Decode(buffer.AsSpan(0, length));
        Assert.Equal(NodeId.FromStaticKey(key), Assert.Single(decoded.Holders).PeerId);
        Assert.Single(decoded.Nodes);
        for (int cut = 0; cut < length; cut++)
        {
            Assert.Throws<MalformedMessageException>(() => MessageCodec.Decode(buffer.AsSpan(0, cut)));
        }
    }

    [Fact]
    public void A_reply_is_cut_to_the_budget_it_is_given()
    {
        var nodes = Enumerable.Range(0, 20).Select(i => new Contact(NodeId.Random(), new IPEndPoint(IPAddress.IPv6Loopback, 1000 + i))).ToList();
        var buffer = new byte[DhtLimits.MaxDatagram];
        int length = MessageCodec.Encode(new DhtMessage { Type = MessageType.Nodes, TransactionId = 1, SenderId = NodeId.Random(), Nodes = nodes }, buffer, 3 * 46);
        Assert.InRange(length, DhtLimits.HeaderSize + 1, 3 * 46);
        Assert.Equal(nodes.Take(MessageCodec.Decode(buffer.AsSpan(0, length)).Nodes.Count), MessageCodec.Decode(buffer.AsSpan(0, length)).Nodes);
    }
}
