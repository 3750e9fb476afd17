using System.Net;
using P2PShare.Dht.Lookups;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht;

public sealed partial class DhtNode
{
    /// <summary>The k nodes closest to <paramref name="target"/> that answered.</summary>
    public Task<LookupResult> FindNodeAsync(NodeId target, CancellationToken cancellation) =>
        RunLookupAsync(target, MessageType.FindNode, stopAtHolders: false, cancellation);

    /// <summary>Holders of <paramref name="key"/> (the first 20 bytes of a file ID) that this node or others store.</summary>
    public async Task<LookupResult> FindHoldersAsync(NodeId key, CancellationToken cancellation)
    {
        var result = await RunLookupAsync(key, MessageType.GetPeers, stopAtHolders: true, cancellation);
        var local = _store.Get(key, DhtLimits.MaxHoldersPerReply);
        return local.Count == 0 ? result : result with { Holders = [.. local.Concat(result.Holders).DistinctBy(h => h.PeerId)] };
    }

    /// <summary>
    /// Announces that the peer with <paramref name="staticKey"/> (whose peer ID must be this node's ID) holds
    /// <paramref name="key"/> and accepts connections on TCP <paramref name="port"/> of this node's address: a
    /// get_peers lookup collects write tokens from the k closest nodes, then each is sent an announce. Returns how
    /// many stored it and what it cost.
    /// </summary>
    public async Task<AnnounceResult> AnnounceAsync(NodeId key, ReadOnlyMemory<byte> staticKey, int port, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
        if (staticKey.Length != DhtLimits.StaticKeySize || NodeId.FromStaticKey(staticKey.Span) != Id)
        {
            throw new ArgumentException("the static key must be the one this node's ID is derived from", nameof(staticKey));
        }

        var lookup = await RunLookupAsync(key, MessageType.GetPeers, stopAtHolders: false, cancellation);
        var announces = lookup.Closest.Where(r => r.Token.Length == DhtLimits.TokenSize).Select(r =>
            QueryAsync(r.Contact.EndPoint, r.Contact.Id, new DhtMessage
            {
                Type = MessageType.Announce,
                TransactionId = 0,
                SenderId = Id,
                Target = key,
                Token = r.Token,
                StaticKey = staticKey,
                Port = (ushort)port,
            }, cancellation));
        var replies = await Task.WhenAll(announces);
        return new AnnounceResult(replies.Count(r => r?.Type == MessageType.Announced), lookup.MessagesSent + replies.Length, lookup.Rounds);
    }

    /// <summary>
    /// Joins the network through <paramref name="endPoints"/> (nodes from the command line, from the tracker, or
    /// saved last time): pings them, looks up this node's own ID so the nodes around it learn of it, then refreshes
    /// every bucket farther away than its closest neighbour (as the Kademlia paper has it) so the far buckets fill
    /// too. Returns the routing table's size afterwards.
    /// </summary>
    public async Task<int> BootstrapAsync(IEnumerable<IPEndPoint> endPoints, CancellationToken cancellation)
    {
        const int MaxBootstrapNodes = 64;
        await Task.WhenAll(endPoints.Where(e => !e.Equals(LocalEndPoint)).Distinct().Take(MaxBootstrapNodes)
            .Select(e => PingAsync(e, cancellation)));
        if (_routing.Count == 0)
        {
            return 0;
        }

        var self = await FindNodeAsync(Id, cancellation);
        int nearest = self.Closest.Count > 0 ? Id.SharedPrefixLength(self.Closest[0].Contact.Id) : 0;
        await Task.WhenAll(Enumerable.Range(0, nearest).Select(prefixLength => FindNodeAsync(Id.RandomWithSharedPrefix(prefixLength), cancellation)));
        return _routing.Count;
    }

    private async Task<LookupResult> RunLookupAsync(NodeId target, MessageType query, bool stopAtHolders, CancellationToken cancellation)
    {
        Interlocked.Increment(ref _lookups);
        if (target != Id)
        {
            _routing.Touched(Id.SharedPrefixLength(target));
        }

        var lookup = new Lookup(this, target, query, stopAtHolders, _options);
        return await lookup.RunAsync(_routing.Closest(target, _options.K), cancellation);
    }
}
