using System.Net;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht;

public sealed partial class DhtNode
{
    private const int MaxVerifications = 64;
    private int _verifications;

    /// <summary>
    /// Answers one query. The reply stays within <see cref="DhtLimits.AmplificationFactor"/> times the query's size,
    /// so a spoofed source address cannot turn this node into an amplifier.
    /// </summary>
    private async ValueTask AnswerAsync(DhtMessage query, IPEndPoint source, int queryLength, CancellationToken cancellation)
    {
        if (query.SenderId == Id || !_rateLimiter.Allow(source))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var reply = query.Type switch
        {
            MessageType.Ping => Reply(query, MessageType.Pong),
            MessageType.FindNode => new DhtMessage
            {
                Type = MessageType.Nodes,
                TransactionId = query.TransactionId,
                SenderId = Id,
                Nodes = ClosestExcept(query.Target, query.SenderId),
            },
            MessageType.GetPeers => new DhtMessage
            {
                Type = MessageType.Peers,
                TransactionId = query.TransactionId,
                SenderId = Id,
                Token = _tokens.Issue(source, query.Target),
                Holders = _store.Get(query.Target, DhtLimits.MaxHoldersPerReply),
                Nodes = ClosestExcept(query.Target, query.SenderId),
            },
            _ => StoreAnnouncement(query, source),
        };
        await SendAsync(reply, source, DhtLimits.AmplificationFactor * queryLength, cancellation);
        VerifyLater(query.SenderId, source);
    }

    private DhtMessage StoreAnnouncement(DhtMessage announce, IPEndPoint source)
    {
        if (!_tokens.Check(announce.Token.Span, source, announce.Target))
        {
            return Error(announce, DhtErrorCode.BadToken);
        }

        var peerId = NodeId.FromStaticKey(announce.StaticKey.Span);
        if (peerId != announce.SenderId)
        {
            return Error(announce, DhtErrorCode.BadKey);
        }

        var holder = new Holder(peerId, announce.StaticKey, new IPEndPoint(source.Address, announce.Port));
        return _store.Add(announce.Target, holder) ? Reply(announce, MessageType.Announced) : Error(announce, DhtErrorCode.StoreFull);
    }

    private List<Contact> ClosestExcept(NodeId target, NodeId asker)
    {
        var closest = _routing.Closest(target, _options.K + 1);
        closest.RemoveAll(c => c.Id == asker);
        return closest.Count > _options.K ? closest[.._options.K] : closest;
    }

    /// <summary>
    /// A node that queried this one joins the routing table only after it answers a ping, which proves the source
    /// address is really its own. Bounded: at most <see cref="MaxVerifications"/> such pings at once.
    /// </summary>
    private void VerifyLater(NodeId sender, IPEndPoint source)
    {
        if (!_routing.WouldAccept(sender))
        {
            return;
        }

        if (Interlocked.Increment(ref _verifications) > MaxVerifications)
        {
            Interlocked.Decrement(ref _verifications);
            return;
        }

        _ = VerifyAsync(source);
    }

    private async Task VerifyAsync(IPEndPoint source)
    {
        try
        {
            await PingAsync(source, _lifetime.Token);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _verifications);
        }
    }

    private DhtMessage Reply(DhtMessage query, MessageType type) =>
        new() { Type = type, TransactionId = query.TransactionId, SenderId = Id };

    private DhtMessage Error(DhtMessage query, DhtErrorCode code) =>
        new() { Type = MessageType.Error, TransactionId = query.TransactionId, SenderId = Id, Error = code };
}
