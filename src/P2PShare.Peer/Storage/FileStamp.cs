using Microsoft.Win32.SafeHandles;

namespace P2PShare.Peer.Storage;

/// <summary>Size and last-write time (UTC ticks) of a file: what the index compares to decide "unchanged".</summary>
internal readonly record struct FileStamp(long Size, long ModifiedTicks)
{
    /// <summary>The stamp of the regular file (or link to one) at <paramref name="path"/>; null when there is none.</summary>
    public static FileStamp? Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            return null;
        }
    }

    /// <summary>The stamp of an open file, so the check and the read that follows see the same file.</summary>
    public static FileStamp Read(SafeFileHandle handle) =>
        new(RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle).Ticks);
}
