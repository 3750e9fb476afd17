using System.Net;
using System.Security.Cryptography;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht;

public sealed partial class DhtNode
{
    /// <summary>Pings <paramref name="endPoint"/>; true when it answered, and then it is in the routing table.</summary>
    public async Task<bool> PingAsync(IPEndPoint endPoint, CancellationToken cancellation)
    {
        var reply = await QueryAsync(endPoint, null, new DhtMessage { Type = MessageType.Ping, TransactionId = 0, SenderId = Id }, cancellation);
        return reply?.Type == MessageType.Pong;
    }

    /// <summary>
    /// Sends one query and waits for the reply from that same address, at most <see cref="DhtOptions.QueryTimeout"/>.
    /// Null when none came, the reply was of the wrong type, or too many queries are pending already; an error reply
    /// is returned as it came. A reply marks its
    /// sender as seen in the routing table; silence, or a reply under another ID than <paramref name="expected"/>,
    /// counts against the expected contact.
    /// </summary>
    internal async Task<DhtMessage?> QueryAsync(IPEndPoint endPoint, NodeId? expected, DhtMessage template, CancellationToken cancellation)
    {
        if (_pending.Count >= _options.MaxPendingQueries || _lifetime.IsCancellationRequested)
        {
            return null;
        }

        uint transaction;
        var pending = new PendingQuery(endPoint);
        do
        {
            transaction = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        }
        while (!_pending.TryAdd(transaction, pending));

        DhtMessage? reply = null;
        try
        {
            var query = new DhtMessage
            {
                Type = template.Type,
                TransactionId = transaction,
                SenderId = Id,
                Target = template.Target,
                Token = template.Token,
                StaticKey = template.StaticKey,
                Port = template.Port,
            };
            await SendAsync(query, endPoint, DhtLimits.MaxDatagram, cancellation);
            reply = await pending.Reply.Task.WaitAsync(_options.QueryTimeout, _time, cancellation);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            _pending.TryRemove(transaction, out _);
        }

        bool impostor = expected is { } expectedId && reply is not null && reply.SenderId != expectedId;
        if (reply is null || impostor || (reply.Type != MessageType.Error && reply.Type != ExpectedReply(template.Type)))
        {
            if (expected is { } id && !_lifetime.IsCancellationRequested)
            {
                _routing.Failed(id);
            }

            return null;
        }

        _routing.Seen(new Contact(reply.SenderId, endPoint));
        return reply;
    }

    private bool CompletePending(DhtMessage reply, IPEndPoint source)
    {
        return _pending.TryGetValue(reply.TransactionId, out var pending)
            && pending.EndPoint.Equals(source)
            && pending.Reply.TrySetResult(reply);
    }

    private static MessageType ExpectedReply(MessageType query) => query switch
    {
        MessageType.Ping => MessageType.Pong,
        MessageType.FindNode => MessageType.Nodes,
        MessageType.GetPeers => MessageType.Peers,
        _ => MessageType.Announced,
    };

    private sealed class PendingQuery(IPEndPoint endPoint)
    {
        public IPEndPoint EndPoint { get; } = endPoint;

        public TaskCompletionSource<DhtMessage?> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
