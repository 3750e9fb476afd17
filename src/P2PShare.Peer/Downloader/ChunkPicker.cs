using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>
/// Chooses which chunk to ask a holder for next; pure bookkeeping, no I/O, not thread-safe (the download locks).
/// Rarest first: among chunks still missing and not yet requested that the holder has, it takes the one the
/// fewest holders have (ties broken at random); past <see cref="ExactScanLimit"/> open chunks it looks at
/// <see cref="SampleSize"/> random candidates so a pick stays cheap for files with millions of chunks. Endgame:
/// once every missing chunk is requested, a chunk still on its way may be requested from a second holder; the first
/// answer wins. A chunk that has arrived and is being checked and written is never asked for again unless it fails.
/// </summary>
internal sealed class ChunkPicker
{
    public const int SampleSize = 64;

    /// <summary>Up to this many open chunks every pick looks at all of them, so small and medium files are exactly rarest first.</summary>
    public const int ExactScanLimit = 4096;
    private const int MaxSources = 2;

    private readonly ChunkBitmap _have;
    private readonly int[] _availability;
    private readonly byte[] _requested;
    private readonly bool[] _arrived;
    private readonly List<int> _open = [];
    private readonly int[] _openPosition;
    private readonly Random _random;

    public ChunkPicker(ChunkBitmap have, Random random)
    {
        _have = have.Clone();
        _random = random;
        _availability = new int[have.Count];
        _requested = new byte[have.Count];
        _arrived = new bool[have.Count];
        _openPosition = new int[have.Count];
        for (int i = 0; i < have.Count; i++)
        {
            _openPosition[i] = -1;
            if (!_have.Get(i))
            {
                AddOpen(i);
            }
        }
    }

    public bool IsComplete => _have.IsComplete;

    public ChunkBitmap HaveSnapshot() => _have.Clone();

    public void AddHolder(ChunkBitmap holder)
    {
        for (int i = 0; i < _availability.Length; i++)
        {
            if (holder.Get(i))
            {
                _availability[i]++;
            }
        }
    }

    public void RemoveHolder(ChunkBitmap holder)
    {
        for (int i = 0; i < _availability.Length; i++)
        {
            if (holder.Get(i))
            {
                _availability[i]--;
            }
        }
    }

    public void AddHave(int index) => _availability[index]++;

    public void RemoveHave(int index) => _availability[index]--;

    /// <summary>
    /// Picks a chunk for a holder with bitfield <paramref name="holder"/>, never one for which <paramref name="skip"/>
    /// is true (already asked of this holder, or this holder said to come back later).
    /// </summary>
    public bool TryPick(ChunkBitmap holder, Func<int, bool> skip, out int index)
    {
        index = PickOpen(holder, skip);
        if (index < 0)
        {
            index = PickEndgame(holder, skip);
        }

        if (index < 0)
        {
            return false;
        }

        _requested[index]++;
        RemoveOpen(index);
        return true;
    }

    /// <summary>A copy of the chunk arrived and is being checked and written: endgame does not ask for it again.</summary>
    public void Arrived(int index) => _arrived[index] = true;

    /// <summary>A request was cancelled, rejected or lost with its holder: the chunk is open again unless a copy arrived.</summary>
    public void Release(int index)
    {
        if (_requested[index] > 0)
        {
            _requested[index]--;
        }

        if (_requested[index] == 0 && !_have.Get(index) && !_arrived[index])
        {
            AddOpen(index);
        }
    }

    /// <summary>The copy that arrived failed its check: the chunk is wanted again.</summary>
    public void Discard(int index)
    {
        _arrived[index] = false;
        Release(index);
    }

    /// <summary>A chunk is verified and on disk; returns false when it already was.</summary>
    public bool MarkHave(int index)
    {
        _requested[index] = 0;
        RemoveOpen(index);
        return _have.Set(index);
    }

    private int PickOpen(ChunkBitmap holder, Func<int, bool> skip)
    {
        if (_open.Count <= ExactScanLimit)
        {
            return ScanOpen(holder, skip);
        }

        int best = -1;
        int samples = Math.Min(SampleSize, _open.Count);
        for (int s = 0; s < samples; s++)
        {
            int candidate = _open[_random.Next(_open.Count)];
            if (holder.Get(candidate) && (best < 0 || _availability[candidate] < _availability[best]) && !skip(candidate))
            {
                best = candidate;
            }
        }

        return best >= 0 ? best : ScanOpen(holder, skip);
    }

    /// <summary>Every open chunk, starting at a random place so that ties go to a random chunk.</summary>
    private int ScanOpen(ChunkBitmap holder, Func<int, bool> skip)
    {
        int best = -1;
        int start = _open.Count == 0 ? 0 : _random.Next(_open.Count);
        for (int i = 0; i < _open.Count; i++)
        {
            int candidate = _open[(start + i) % _open.Count];
            if (holder.Get(candidate) && (best < 0 || _availability[candidate] < _availability[best]) && !skip(candidate))
            {
                best = candidate;
            }
        }

        return best;
    }

    private int PickEndgame(ChunkBitmap holder, Func<int, bool> skip)
    {
        if (_open.Count > 0)
        {
            return -1;
        }

        for (int i = 0; i < _requested.Length; i++)
        {
            if (!_have.Get(i) && !_arrived[i] && _requested[i] < MaxSources && holder.Get(i) && !skip(i))
            {
                return i;
            }
        }

        return -1;
    }

    private void AddOpen(int index)
    {
        if (_openPosition[index] >= 0)
        {
            return;
        }

        _openPosition[index] = _open.Count;
        _open.Add(index);
    }

    private void RemoveOpen(int index)
    {
        int position = _openPosition[index];
        if (position < 0)
        {
            return;
        }

        int last = _open[^1];
        _open[position] = last;
        _openPosition[last] = position;
        _open.RemoveAt(_open.Count - 1);
        _openPosition[index] = -1;
    }
}
