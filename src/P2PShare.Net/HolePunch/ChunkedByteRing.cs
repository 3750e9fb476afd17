using System.Buffers;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// Bytes addressed by absolute stream offset within a sliding window [Base, Base + Capacity). Storage comes from the
/// ArrayPool in fixed chunks, taken when first written and returned as <see cref="Release"/> moves Base past them,
/// so an idle stream holds little: up to <see cref="MaxSpareChunks"/> released chunks are kept for the next writes,
/// because a bulk stream takes and frees one every 64 KiB and the shared pool does not always have one ready (a miss
/// costs a fresh allocation and its page faults).
/// </summary>
internal sealed class ChunkedByteRing : IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private const int MaxSpareChunks = 16;
    private readonly byte[]?[] _chunks;
    private readonly Stack<byte[]> _spare = new(MaxSpareChunks);

    public ChunkedByteRing(int capacity)
    {
        Capacity = capacity;
        _chunks = new byte[]?[(capacity / ChunkSize) + 2];
    }

    public int Capacity { get; }

    public long Base { get; private set; }

    /// <summary>Stores <paramref name="data"/> at <paramref name="offset"/>; the whole span must lie inside the window.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < Base || offset + data.Length > Base + Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "write outside the window");
        }

        while (!data.IsEmpty)
        {
            var chunk = ChunkFor(offset, allocate: true)!;
            var at = (int)(offset % ChunkSize);
            var n = Math.Min(data.Length, ChunkSize - at);
            data[..n].CopyTo(chunk.AsSpan(at));
            data = data[n..];
            offset += n;
        }
    }

    /// <summary>Copies bytes at <paramref name="offset"/> into <paramref name="destination"/> (they must have been written).</summary>
    public void Read(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var chunk = ChunkFor(offset, allocate: true)!;
            var at = (int)(offset % ChunkSize);
            var n = Math.Min(destination.Length, ChunkSize - at);
            chunk.AsSpan(at, n).CopyTo(destination);
            destination = destination[n..];
            offset += n;
        }
    }

    /// <summary>Moves the window's start to <paramref name="newBase"/>, returning chunks wholly below it.</summary>
    public void Release(long newBase)
    {
        if (newBase <= Base)
        {
            return;
        }

        for (var chunkStart = Base - (Base % ChunkSize); chunkStart + ChunkSize <= newBase; chunkStart += ChunkSize)
        {
            var slot = (int)((chunkStart / ChunkSize) % _chunks.Length);
            if (_chunks[slot] is { } chunk)
            {
                if (_spare.Count < MaxSpareChunks)
                {
                    _spare.Push(chunk);
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }

                _chunks[slot] = null;
            }
        }

        Base = newBase;
    }

    public void Dispose()
    {
        for (var i = 0; i < _chunks.Length; i++)
        {
            if (_chunks[i] is { } chunk)
            {
                ArrayPool<byte>.Shared.Return(chunk);
                _chunks[i] = null;
            }
        }

        while (_spare.TryPop(out var spare))
        {
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    private byte[]? ChunkFor(long offset, bool allocate)
    {
        var slot = (int)((offset / ChunkSize) % _chunks.Length);
        if (_chunks[slot] is null && allocate)
        {
            _chunks[slot] = _spare.TryPop(out var spare) ? spare : ArrayPool<byte>.Shared.Rent(ChunkSize);
        }

        return _chunks[slot];
    }
}
