namespace P2PShare.Peer.Storage;

internal enum ChunkWriteStatus
{
    /// <summary>Verified, written, flushed and recorded: it survives a crash from now on.</summary>
    Written,

    /// <summary>The chunk was already verified; nothing was written.</summary>
    AlreadyHave,

    /// <summary>The data does not match the manifest's hash (or has the wrong length): blame the sender.</summary>
    HashMismatch,

    /// <summary>The disk or state.db failed; <see cref="ChunkWriteResult.Error"/> says how. Blame the local machine.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="DownloadTarget.WriteChunkAsync"/>.</summary>
internal readonly record struct ChunkWriteResult(ChunkWriteStatus Status, string? Error = null)
{
    public static ChunkWriteResult Written => new(ChunkWriteStatus.Written);

    public static ChunkWriteResult AlreadyHave => new(ChunkWriteStatus.AlreadyHave);

    public static ChunkWriteResult Mismatch(string error) => new(ChunkWriteStatus.HashMismatch, error);

    public static ChunkWriteResult Fail(string error) => new(ChunkWriteStatus.Failed, error);
}
