namespace P2PShare.Dht.Storage;

/// <summary>
/// The holders this node stores for the keys it is close to, each until its announcement expires. Bounded: at most
/// <c>maxKeys</c> keys and <c>maxHoldersPerKey</c> holders each; when full, expired entries are swept and a new
/// key or holder is refused if there is still no room. Thread-safe.
/// </summary>
public sealed class HolderStore(int maxKeys, int maxHoldersPerKey, TimeSpan lifetime, TimeProvider time)
{
    private readonly Dictionary<NodeId, Dictionary<NodeId, (Holder Holder, DateTimeOffset Expires)>> _keys = [];
    private readonly Lock _lock = new();

    /// <summary>Stores or renews <paramref name="holder"/> for <paramref name="key"/>; false when the store is full.</summary>
    public bool Add(NodeId key, Holder holder)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_keys.TryGetValue(key, out var holders))
            {
                if (_keys.Count >= maxKeys)
                {
                    Sweep(now);
                    if (_keys.Count >= maxKeys)
                    {
                        return false;
                    }
                }

                holders = [];
                _keys[key] = holders;
            }

            if (!holders.ContainsKey(holder.PeerId) && holders.Count >= maxHoldersPerKey)
            {
                RemoveExpired(holders, now);
                if (holders.Count >= maxHoldersPerKey)
                {
                    return false;
                }
            }

            holders[holder.PeerId] = (holder, now + lifetime);
            return true;
        }
    }

    /// <summary>Unexpired holders of <paramref name="key"/>, most recently announced first, at most <paramref name="max"/>.</summary>
    public List<Holder> Get(NodeId key, int max)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_keys.TryGetValue(key, out var holders))
            {
                return [];
            }

            return holders.Values.Where(h => h.Expires > now).OrderByDescending(h => h.Expires)
                .Take(max).Select(h => h.Holder).ToList();
        }
    }

    public int KeyCount
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count;
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, holders) in _keys.ToList())
        {
            RemoveExpired(holders, now);
            if (holders.Count == 0)
            {
                _keys.Remove(key);
            }
        }
    }

    private static void RemoveExpired(Dictionary<NodeId, (Holder Holder, DateTimeOffset Expires)> holders, DateTimeOffset now)
    {
        foreach (var (id, entry) in holders.ToList())
        {
            if (entry.Expires <= now)
            {
                holders.Remove(id);
            }
        }
    }
}
