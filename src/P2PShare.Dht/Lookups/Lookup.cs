using P2PShare.Dht.Messages;

namespace P2PShare.Dht.Lookups;

/// <summary>
/// One iterative Kademlia lookup: keeps α queries in flight to the closest nodes not yet asked, learns closer nodes
/// from each reply, and ends when the k closest nodes it knows have all answered or failed. A get_peers lookup that
/// only wants holders ends as soon as one node returns some. The candidate list is bounded, and a node address is
/// asked at most once, so lying nodes can only cost a bounded number of wasted queries.
/// </summary>
internal sealed class Lookup(DhtNode node, NodeId target, MessageType query, bool stopAtHolders, DhtOptions options)
{
    private readonly List<Candidate> _candidates = [];
    private readonly HashSet<NodeId> _knownIds = [];
    private readonly HashSet<System.Net.IPEndPoint> _knownEndPoints = [];
    private readonly Dictionary<NodeId, Holder> _holders = [];
    private int _sent;
    private int _rounds;

    private int MaxCandidates => options.K * 8;

    public async Task<LookupResult> RunAsync(IEnumerable<Contact> seeds, CancellationToken cancellation)
    {
        foreach (var seed in seeds)
        {
            Add(seed, 1);
        }

        var inFlight = new Dictionary<Task<DhtMessage?>, Candidate>();
        var template = new DhtMessage { Type = query, TransactionId = 0, SenderId = node.Id, Target = target };
        while (true)
        {
            while (inFlight.Count < options.Alpha && _sent < options.MaxQueriesPerLookup && NextToAsk() is { } next)
            {
                next.State = CandidateState.Asked;
                _sent++;
                _rounds = Math.Max(_rounds, next.Hop);
                inFlight.Add(node.QueryAsync(next.Contact.EndPoint, next.Contact.Id, template, cancellation), next);
            }

            if (inFlight.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(inFlight.Keys);
            var candidate = inFlight[done];
            inFlight.Remove(done);
            var reply = await done;
            if (reply is null || reply.Type == MessageType.Error)
            {
                candidate.State = CandidateState.Failed;
                continue;
            }

            candidate.State = CandidateState.Answered;
            candidate.Token = reply.Token;
            foreach (var holder in reply.Holders)
            {
                if (_holders.Count < options.K * 4)
                {
                    _holders.TryAdd(holder.PeerId, holder);
                }
            }

            foreach (var contact in reply.Nodes)
            {
                Add(contact, candidate.Hop + 1);
            }

            if (stopAtHolders && _holders.Count > 0)
            {
                break;
            }
        }

        var closest = _candidates.Where(c => c.State == CandidateState.Answered).Take(options.K)
            .Select(c => new LookupResult.Responder(c.Contact, c.Token)).ToList();
        return new LookupResult(target, closest, [.. _holders.Values], _sent, _rounds);
    }

    private void Add(Contact contact, int hop)
    {
        if (contact.Id == node.Id || !_knownIds.Add(contact.Id) || !_knownEndPoints.Add(contact.EndPoint))
        {
            return;
        }

        var candidate = new Candidate(contact, hop);
        int index = _candidates.BinarySearch(candidate, Comparer<Candidate>.Create((a, b) => target.CompareDistance(a.Contact.Id, b.Contact.Id)));
        _candidates.Insert(index < 0 ? ~index : index, candidate);
        while (_candidates.Count > MaxCandidates && _candidates[^1].State != CandidateState.Asked)
        {
            _candidates.RemoveAt(_candidates.Count - 1);
        }
    }

    /// <summary>The closest candidate not yet asked, if it is among the k closest that have not failed.</summary>
    private Candidate? NextToAsk()
    {
        int alive = 0;
        foreach (var candidate in _candidates)
        {
            if (candidate.State == CandidateState.Failed)
            {
                continue;
            }

            if (candidate.State == CandidateState.New)
            {
                return candidate;
            }

            if (++alive >= options.K)
            {
                return null;
            }
        }

        return null;
    }

    private enum CandidateState
    {
        New,
        Asked,
        Answered,
        Failed,
    }

    private sealed class Candidate(Contact contact, int hop)
    {
        public Contact Contact { get; } = contact;
        public int Hop { get; } = hop;
        public CandidateState State { get; set; }
        public ReadOnlyMemory<byte> Token { get; set; }
    }
}
