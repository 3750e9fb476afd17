using System.Numerics;

namespace P2PShare.Peer.Storage;

/// <summary>
/// One bit per chunk: set when the chunk is on disk and verified. The byte form is the wire Bitfield's:
/// chunk 0 is the most significant bit of byte 0 (as in BitTorrent), <c>(count + 7) / 8</c> bytes, and the
/// spare low bits of the last byte are zero. Not thread-safe; owners guard it with their own lock.
/// </summary>
internal sealed class ChunkBitmap
{
    private readonly byte[] _bytes;

    public ChunkBitmap(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _bytes = new byte[ByteLengthFor(count)];
    }

    private ChunkBitmap(int count, byte[] bytes, int setCount)
    {
        Count = count;
        _bytes = bytes;
        SetCount = setCount;
    }

    /// <summary>Number of chunks (bits).</summary>
    public int Count { get; }

    /// <summary>Number of chunks marked as verified.</summary>
    public int SetCount { get; private set; }

    public bool IsComplete => SetCount == Count;

    public int ByteLength => _bytes.Length;

    public static int ByteLengthFor(int count) => (int)(((long)count + 7) / 8);

    /// <summary>
    /// Parses the byte form; returns null when the length is not <c>(count + 7) / 8</c> or a spare bit is set,
    /// so a malformed Bitfield from a peer is a value, not an exception.
    /// </summary>
    public static ChunkBitmap? FromBytes(ReadOnlySpan<byte> bytes, int count)
    {
        if (count < 0 || bytes.Length != ByteLengthFor(count))
        {
            return null;
        }

        int spareBits = (bytes.Length * 8) - count;
        if (spareBits > 0 && (bytes[^1] & ((1 << spareBits) - 1)) != 0)
        {
            return null;
        }

        int setCount = 0;
        foreach (byte b in bytes)
        {
            setCount += BitOperations.PopCount(b);
        }

        return new ChunkBitmap(count, bytes.ToArray(), setCount);
    }

    public bool this[int index] => Get(index);

    public bool Get(int index)
    {
        CheckIndex(index);
        return (_bytes[index >> 3] & Mask(index)) != 0;
    }

    /// <summary>Sets the bit; returns true when it was not set before.</summary>
    public bool Set(int index)
    {
        CheckIndex(index);
        ref byte b = ref _bytes[index >> 3];
        byte mask = Mask(index);
        if ((b & mask) != 0)
        {
            return false;
        }

        b |= mask;
        SetCount++;
        return true;
    }

    /// <summary>Clears one bit; returns true when it was set before.</summary>
    public bool Unset(int index)
    {
        CheckIndex(index);
        ref byte b = ref _bytes[index >> 3];
        byte mask = Mask(index);
        if ((b & mask) == 0)
        {
            return false;
        }

        b &= (byte)~mask;
        SetCount--;
        return true;
    }

    /// <summary>Clears every bit.</summary>
    public void Clear()
    {
        Array.Clear(_bytes);
        SetCount = 0;
    }

    /// <summary>The first chunk at or after <paramref name="start"/> that is not set, or -1 when there is none.</summary>
    public int FirstMissing(int start = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        for (int i = start; i < Count; i++)
        {
            if ((i & 7) == 0 && _bytes[i >> 3] == 0xFF)
            {
                i += 7;
                continue;
            }

            if ((_bytes[i >> 3] & Mask(i)) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    public byte[] ToBytes() => (byte[])_bytes.Clone();

    public void CopyTo(Span<byte> destination) => _bytes.CopyTo(destination);

    public ChunkBitmap Clone() => new(Count, ToBytes(), SetCount);

    private static byte Mask(int index) => (byte)(0x80 >> (index & 7));

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"chunk index must be below {Count}");
        }
    }
}
