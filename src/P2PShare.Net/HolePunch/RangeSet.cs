using System.Runtime.InteropServices;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// Disjoint, sorted half-open ranges [Start, End) of longs, merged on insert. At most <see cref="MaxRanges"/> are kept;
/// beyond that the lowest ranges are forgotten, which callers treat as "old enough not to matter".
/// </summary>
internal sealed class RangeSet(int maxRanges)
{
    private readonly List<(long Start, long End)> _ranges = [];

    public int MaxRanges { get; } = maxRanges;

    public int Count => _ranges.Count;

    public bool IsEmpty => _ranges.Count == 0;

    public (long Start, long End) this[int index] => _ranges[index];

    public (long Start, long End) First => _ranges[0];

    public (long Start, long End) Last => _ranges[^1];

    public void Add(long start, long end)
    {
        if (end <= start)
        {
            return;
        }

        // Find the first range whose end is >= start (it may touch or overlap).
        var i = _ranges.Count;
        while (i > 0 && _ranges[i - 1].End >= start)
        {
            i--;
        }

        var mergedStart = start;
        var mergedEnd = end;
        var j = i;
        while (j < _ranges.Count && _ranges[j].Start <= end)
        {
            mergedStart = Math.Min(mergedStart, _ranges[j].Start);
            mergedEnd = Math.Max(mergedEnd, _ranges[j].End);
            j++;
        }

        _ranges.RemoveRange(i, j - i);
        _ranges.Insert(i, (mergedStart, mergedEnd));
        if (_ranges.Count > MaxRanges)
        {
            _ranges.RemoveAt(0);
        }
    }

    /// <summary>True when every value in [start, end) is in the set.</summary>
    public bool Covers(long start, long end)
    {
        // From the top: callers ask mostly about the newest values.
        var ranges = CollectionsMarshal.AsSpan(_ranges);
        for (var i = ranges.Length - 1; i >= 0; i--)
        {
            if (ranges[i].Start <= start)
            {
                return end <= ranges[i].End;
            }
        }

        return false;
    }

    public bool Contains(long value) => Covers(value, value + 1);

    /// <summary>Forgets everything below <paramref name="floor"/>.</summary>
    public void RemoveBelow(long floor)
    {
        while (_ranges.Count > 0 && _ranges[0].End <= floor)
        {
            _ranges.RemoveAt(0);
        }

        if (_ranges.Count > 0 && _ranges[0].Start < floor)
        {
            _ranges[0] = (floor, _ranges[0].End);
        }
    }

    public void RemoveFirst() => _ranges.RemoveAt(0);

    public void ReplaceFirst(long start, long end) => _ranges[0] = (start, end);

    public void Clear() => _ranges.Clear();
}
