namespace P2PShare.Peer.P2P;

/// <summary>
/// What this node has done with one whole file's chunks across all its links: how often each went out, how many
/// links it is offered to and waits for, and which chunks nobody outside this node is known to have yet (the first
/// copy). Not thread-safe; <see cref="RevealSchedule"/> locks.
/// </summary>
internal sealed class RevealFile
{
    private readonly int[] _order;
    private readonly Stack<int> _returned = new();
    private readonly bool[] _out;
    private int _next;

    public RevealFile(int chunkCount, Random random)
    {
        Sends = new int[chunkCount];
        Offers = new int[chunkCount];
        _out = new bool[chunkCount];
        _order = new int[chunkCount];
        for (int i = 0; i < chunkCount; i++)
        {
            _order[i] = i;
        }

        random.Shuffle(_order);
        NotOut = chunkCount;
    }

    public int ChunkCount => Sends.Length;

    /// <summary>Times each chunk was sent to some remote.</summary>
    public int[] Sends { get; }

    /// <summary>Links each chunk is offered to that have neither had it sent nor announced it.</summary>
    public int[] Offers { get; }

    /// <summary>When each chunk still waiting for its first copy was first offered (timestamp), for the ones on offer.</summary>
    public Dictionary<int, long> FirstOffered { get; } = [];

    /// <summary>Chunks no remote is known to have: neither sent by this node nor announced by a remote.</summary>
    public int NotOut { get; private set; }

    /// <summary>Link states using this file; the file's bookkeeping is dropped with the last.</summary>
    public int Users { get; set; }

    public bool IsOut(int index) => _out[index];

    /// <summary>The chunk left this node or a remote announced it: it is in the swarm now.</summary>
    public void MarkOut(int index)
    {
        if (!_out[index])
        {
            _out[index] = true;
            NotOut--;
            FirstOffered.Remove(index);
        }
    }

    /// <summary>
    /// The next chunk of the first copy nobody is offered yet, in a random order fixed per file (chunks given back by
    /// a closed link first); -1 when none is left. Such a chunk is new to every live link: a link told of a chunk holds
    /// an offer for it until it goes out, and a chunk a remote has is out.
    /// </summary>
    public int NextUnoffered()
    {
        while (TryTake(out int index))
        {
            if (!_out[index] && Offers[index] == 0)
            {
                return index; // otherwise out already, or offered again since it was given back
            }
        }

        return -1;
    }

    /// <summary>A chunk of the first copy whose offer ended without it going out: the next link may get it.</summary>
    public void GiveBack(int index)
    {
        if (!_out[index] && Offers[index] == 0)
        {
            FirstOffered.Remove(index);
            _returned.Push(index);
        }
    }

    private bool TryTake(out int index)
    {
        if (_returned.TryPop(out index))
        {
            return true;
        }

        if (_next < _order.Length)
        {
            index = _order[_next++];
            return true;
        }

        index = -1;
        return false;
    }
}
