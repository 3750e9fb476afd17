namespace P2PShare.Core.Chunking;

/// <summary>How a file of a given size divides into fixed-size chunks; the last chunk may be shorter.</summary>
public readonly record struct ChunkLayout
{
    /// <summary>256 KiB, the only chunk size the protocol accepts.</summary>
    public const int DefaultChunkSize = 256 * 1024;

    public ChunkLayout(long fileSize, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        FileSize = fileSize;
        ChunkSize = chunkSize;
        long count = (fileSize + chunkSize - 1) / chunkSize;
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(fileSize), "file has too many chunks");
        }

        ChunkCount = (int)count;
    }

    public long FileSize { get; }

    public int ChunkSize { get; }

    public int ChunkCount { get; }

    public long OffsetOf(int index)
    {
        CheckIndex(index);
        return (long)index * ChunkSize;
    }

    public int LengthOf(int index)
    {
        CheckIndex(index);
        return (int)Math.Min(ChunkSize, FileSize - ((long)index * ChunkSize));
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)ChunkCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"chunk index must be below {ChunkCount}");
        }
    }
}
