namespace P2PShare.Peer.Storage;

internal enum ChunkReadStatus
{
    /// <summary>The chunk is in the buffer; <see cref="ChunkReadResult.Length"/> bytes.</summary>
    Ok,

    /// <summary>This peer does not have that chunk (unknown file, index out of range, or not verified yet).</summary>
    NotHave,

    /// <summary>The shared file was modified or deleted since it was indexed; withdraw it and re-index.</summary>
    FileChanged,
}

/// <summary>The outcome of <see cref="ChunkSource.ReadChunkAsync"/>; <see cref="ChangedPath"/> names the file to re-index.</summary>
internal readonly record struct ChunkReadResult(ChunkReadStatus Status, int Length = 0, string? ChangedPath = null)
{
    public static ChunkReadResult NotHave => new(ChunkReadStatus.NotHave);
}
