using System.Collections.Concurrent;

namespace P2PShare.Peer.P2P;

/// <summary>Every open link, so a newly verified chunk can be announced (Have) to each peer that wants that file.</summary>
internal sealed class LinkDirectory
{
    private readonly ConcurrentDictionary<PeerLink, byte> _links = new();

    public int Count => _links.Count;

    /// <summary>Raised for each link as it starts (after its handshake), on the thread that starts it.</summary>
    public event Action<PeerLink>? Added;

    public void Add(PeerLink link)
    {
        _links[link] = 1;
        Added?.Invoke(link);
    }

    public void Remove(PeerLink link) => _links.TryRemove(link, out _);

    public void BroadcastHave(string fileId, int index)
    {
        foreach (var link in _links.Keys)
        {
            if (link.IsInterestedIn(fileId))
            {
                link.QueueHave(fileId, index);
            }
        }
    }

    public IReadOnlyList<PeerLink> Snapshot() => _links.Keys.ToList();
}
