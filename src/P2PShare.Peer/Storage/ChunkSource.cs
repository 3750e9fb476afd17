using Microsoft.Win32.SafeHandles;
using P2PShare.Core.Chunking;

namespace P2PShare.Peer.Storage;

/// <summary>
/// The serving side: reads a chunk another peer asked for, from a shared or completed file (after checking it still
/// has the size and mtime it was indexed with) or from a partial download (only chunks checked and written). Opens the
/// file per request, so files can be moved or deleted freely under it.
/// </summary>
internal sealed class ChunkSource(PeerPaths paths, SharedFileIndex index, DownloadStore downloads)
{
    /// <summary>
    /// Reads chunk <paramref name="chunkIndex"/> of <paramref name="fileId"/> into the start of
    /// <paramref name="buffer"/> (at least 256 KiB, typically pooled).
    /// </summary>
    public async ValueTask<ChunkReadResult> ReadChunkAsync(string fileId, int chunkIndex, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!Core.Hashing.Sha256Hash.IsHex(fileId) || chunkIndex < 0)
        {
            return ChunkReadResult.NotHave;
        }

        string? changed = null;
        foreach (var file in index.FindById(fileId))
        {
            var result = await ReadSharedAsync(file, chunkIndex, buffer, cancellationToken).ConfigureAwait(false);
            if (result.Status == ChunkReadStatus.Ok)
            {
                return result;
            }

            changed ??= result.ChangedPath;
        }

        if (downloads.Find(fileId) is { State: not DownloadState.Completed } download && downloads.IsChunkServable(fileId, chunkIndex))
        {
            var layout = new ChunkLayout(download.Manifest.Size, download.Manifest.ChunkSize);
            var result = await ReadPartialAsync(paths.PartialPathFor(fileId), layout, chunkIndex, buffer, cancellationToken).ConfigureAwait(false);
            if (result.Status == ChunkReadStatus.Ok)
            {
                return result;
            }
        }

        return changed is null ? ChunkReadResult.NotHave : new ChunkReadResult(ChunkReadStatus.FileChanged, ChangedPath: changed);
    }

    private static async ValueTask<ChunkReadResult> ReadSharedAsync(SharedFile file, int chunkIndex, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var layout = new ChunkLayout(file.Size);
        if (chunkIndex >= layout.ChunkCount)
        {
            return ChunkReadResult.NotHave;
        }

        var changed = new ChunkReadResult(ChunkReadStatus.FileChanged, ChangedPath: file.FullPath);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            return changed;
        }

        using (handle)
        {
            if (FileStamp.Read(handle) != new FileStamp(file.Size, file.ModifiedTicks))
            {
                return changed;
            }

            return await ReadAsync(handle, layout, chunkIndex, buffer, changed, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<ChunkReadResult> ReadPartialAsync(string path, ChunkLayout layout, int chunkIndex, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (chunkIndex >= layout.ChunkCount)
        {
            return ChunkReadResult.NotHave;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return await ReadAsync(handle, layout, chunkIndex, buffer, ChunkReadResult.NotHave, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            return ChunkReadResult.NotHave; // completed and moved away a moment ago, or deleted
        }
    }

    private static async ValueTask<ChunkReadResult> ReadAsync(
        SafeFileHandle handle, ChunkLayout layout, int chunkIndex, Memory<byte> buffer, ChunkReadResult onFailure, CancellationToken cancellationToken)
    {
        int length = layout.LengthOf(chunkIndex);
        try
        {
            await PartialFile.ReadExactlyAsync(handle, buffer[..length], layout.OffsetOf(chunkIndex), cancellationToken).ConfigureAwait(false);
            return new ChunkReadResult(ChunkReadStatus.Ok, length);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            return onFailure;
        }
    }
}
