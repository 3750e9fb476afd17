namespace P2PShare.Dht.Routing;

/// <summary>
/// The Kademlia routing table: bucket i holds contacts whose IDs share exactly i leading bits with this node's, at most
/// k each, so the table never holds more than 160·k contacts. Only contacts that answered one of this node's queries
/// enter it, so a spoofed source address cannot plant itself. Thread-safe.
/// </summary>
public sealed class RoutingTable
{
    private readonly KBucket[] _buckets;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    public RoutingTable(NodeId self, int k, TimeProvider time)
    {
        Self = self;
        K = k;
        _time = time;
        var now = time.GetUtcNow();
        _buckets = new KBucket[NodeId.Bits];
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new KBucket(k) { LastChanged = now };
        }
    }

    public NodeId Self { get; }

    public int K { get; }

    public void Seen(Contact contact)
    {
        if (contact.Id == Self)
        {
            return;
        }

        lock (_lock)
        {
            // One address holds one node: a node that comes back under a new ID replaces its old entry, and a liar
            // answering under ever new IDs occupies one entry, not one per ID.
            foreach (var bucket in _buckets)
            {
                if (bucket.Entries.Count > 0)
                {
                    bucket.RemoveOtherAt(contact);
                }
            }

            _buckets[Self.SharedPrefixLength(contact.Id)].Seen(contact, _time.GetUtcNow());
        }
    }

    public void Failed(NodeId id)
    {
        if (id == Self)
        {
            return;
        }

        lock (_lock)
        {
            _buckets[Self.SharedPrefixLength(id)].Failed(id);
        }
    }

    /// <summary>Whether a contact with this ID would be kept or is kept already: its bucket has room or holds it.</summary>
    public bool WouldAccept(NodeId id)
    {
        if (id == Self)
        {
            return false;
        }

        lock (_lock)
        {
            var bucket = _buckets[Self.SharedPrefixLength(id)];
            return !bucket.IsFull && !bucket.Contains(id);
        }
    }

    /// <summary>Up to <paramref name="count"/> contacts closest to <paramref name="target"/>, closest first.</summary>
    public List<Contact> Closest(NodeId target, int count)
    {
        var all = All();
        all.Sort((a, b) => target.CompareDistance(a.Id, b.Id));
        if (all.Count > count)
        {
            all.RemoveRange(count, all.Count - count);
        }

        return all;
    }

    public List<Contact> All()
    {
        lock (_lock)
        {
            var all = new List<Contact>();
            foreach (var bucket in _buckets)
            {
                foreach (var entry in bucket.Entries)
                {
                    all.Add(entry.Contact);
                }
            }

            return all;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Sum(b => b.Entries.Count);
            }
        }
    }

    /// <summary>Contacts with no unanswered query since they last answered.</summary>
    public int GoodCount
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Sum(b => b.Entries.Count(e => e.Failures == 0));
            }
        }
    }

    /// <summary>
    /// Prefix lengths of the buckets that need a refresh lookup: unchanged for <paramref name="interval"/>, up to one
    /// past the deepest non-empty bucket (deeper ones are empty because so few IDs fall in them).
    /// </summary>
    public List<int> BucketsToRefresh(TimeSpan interval)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            int deepest = Array.FindLastIndex(_buckets, b => b.Entries.Count > 0);
            var due = new List<int>();
            for (int i = 0; i <= Math.Min(deepest + 1, NodeId.Bits - 1); i++)
            {
                if (now - _buckets[i].LastChanged >= interval)
                {
                    due.Add(i);
                }
            }

            return due;
        }
    }

    /// <summary>Marks the bucket holding IDs that share <paramref name="prefixLength"/> bits as looked into now.</summary>
    public void Touched(int prefixLength)
    {
        lock (_lock)
        {
            _buckets[prefixLength].LastChanged = _time.GetUtcNow();
        }
    }
}
