namespace P2PShare.Net.HolePunch;

/// <summary>What one ack-eliciting packet carried, so it can be retransmitted (as new packets) if lost.</summary>
internal struct SentPacket
{
    public long Number;
    public long SentUs;
    public int Size;
    public long StreamOffset;
    public int StreamLength;
    public bool Fin;
    public bool MaxData;
    public bool MtuProbe;
    public bool Done; // acknowledged or declared lost
}

/// <summary>Ack-eliciting packets in flight, in packet-number order, with a fixed upper bound on their count.</summary>
internal sealed class SentPacketQueue(int capacity)
{
    private SentPacket[] _items = new SentPacket[256];
    private int _head;

    public int Count { get; private set; }

    public int Capacity { get; } = capacity;

    public bool IsFull => Count >= Capacity;

    public ref SentPacket this[int index] => ref _items[(_head + index) & (_items.Length - 1)];

    public void Add(in SentPacket packet)
    {
        if (Count == _items.Length)
        {
            var grown = new SentPacket[_items.Length * 2];
            for (var i = 0; i < Count; i++)
            {
                grown[i] = this[i];
            }

            _items = grown;
            _head = 0;
        }

        _items[(_head + Count) & (_items.Length - 1)] = packet;
        Count++;
    }

    /// <summary>Index of the first packet numbered at least <paramref name="number"/> (Count if none).</summary>
    public int IndexOf(long number)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (this[mid].Number < number)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Drops finished packets from the front.</summary>
    public void Compact()
    {
        while (Count > 0 && this[0].Done)
        {
            _head = (_head + 1) & (_items.Length - 1);
            Count--;
        }
    }

    public void Clear()
    {
        _head = 0;
        Count = 0;
    }
}
