using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

internal sealed partial class DownloadTarget
{
    /// <summary>
    /// Starts or resumes the download of <paramref name="manifest"/> (already validated against its ID). Resuming
    /// trusts the stored bitmap after checking the .part file's size, so nothing proved before is hashed again; a
    /// .part file that state.db does not know (say, after state.db was rebuilt) is hashed once to recover its chunks.
    /// Finishes a completion that a crash interrupted. <paramref name="outputDirectory"/> (default DATA_DIR) is used
    /// only for a new download.
    /// </summary>
    public static Task<DownloadOpenResult> OpenAsync(
        PeerPaths paths,
        DownloadStore store,
        FileManifest manifest,
        string? outputDirectory,
        ILogger? logger,
        CancellationToken cancellationToken) =>
        OpenAsync(paths, store, manifest, outputDirectory, logger, flush: null, cancellationToken);

    /// <summary>As above, with <paramref name="flush"/> making the partial file's writes durable instead of fsync.</summary>
    public static async Task<DownloadOpenResult> OpenAsync(
        PeerPaths paths,
        DownloadStore store,
        FileManifest manifest,
        string? outputDirectory,
        ILogger? logger,
        FileFlush? flush,
        CancellationToken cancellationToken)
    {
        logger ??= NullLogger.Instance;
        try
        {
            var record = store.Find(manifest.Hash);
            if (record is null)
            {
                record = await store.AddAsync(manifest, outputDirectory, cancellationToken).ConfigureAwait(false);
                return await StartNewAsync(paths, store, record, logger, flush, cancellationToken).ConfigureAwait(false);
            }

            return await ResumeAsync(paths, store, record, logger, flush, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex) || ex is StateDatabaseException)
        {
            return new DownloadOpenResult(DownloadOpenStatus.Failed, Error: StorageErrors.Describe($"cannot prepare the download of {manifest.Name}", ex));
        }
    }

    private static async Task<DownloadOpenResult> StartNewAsync(PeerPaths paths, DownloadStore store, DownloadRecord record, ILogger logger, FileFlush? flush, CancellationToken cancellationToken)
    {
        string partPath = paths.PartialPathFor(record.FileId);
        var partial = PartialFile.OpenExisting(partPath, record.Manifest.Size, out _, flush);
        int recovered = 0;
        if (partial is not null)
        {
            recovered = await RecoverChunksAsync(partial, store, record.Manifest, cancellationToken).ConfigureAwait(false);
            Log.RecoveredChunks(logger, record.FileId, recovered, record.Manifest.ChunkCount);
        }
        else
        {
            DeleteIfExists(partPath);
            partial = PartialFile.Create(partPath, record.Manifest.Size, flush);
        }

        var target = new DownloadTarget(paths, store, record.Manifest, record.OutputDirectory, partial, logger);
        return new DownloadOpenResult(DownloadOpenStatus.Ready, target, RecoveredChunks: recovered);
    }

    private static async Task<DownloadOpenResult> ResumeAsync(PeerPaths paths, DownloadStore store, DownloadRecord record, ILogger logger, FileFlush? flush, CancellationToken cancellationToken)
    {
        string outputDirectory = record.OutputDirectory ?? paths.DataDir;
        string partPath = paths.PartialPathFor(record.FileId);
        string staging = StagingPath(outputDirectory, record.FileId);
        bool finalInPlace = record.FinalPath is not null && HasLength(record.FinalPath, record.Manifest.Size);

        var partial = PartialFile.OpenExisting(partPath, record.Manifest.Size, out string? problem, flush);
        if (partial is null && record.IsComplete)
        {
            if (finalInPlace && SameFile(staging, record.FinalPath!))
            {
                File.Delete(staging); // the last rename linked the final name but died before removing this one
            }

            partial = PartialFile.OpenExisting(staging, record.Manifest.Size, out _, flush);
        }

        if (partial is null && record.IsComplete && finalInPlace)
        {
            if (record.State != DownloadState.Completed)
            {
                await store.MarkCompletedAsync(record.FileId, record.FinalPath!, cancellationToken).ConfigureAwait(false);
            }

            return new DownloadOpenResult(DownloadOpenStatus.AlreadyCompleted, FinalPath: record.FinalPath);
        }

        if (partial is null)
        {
            if (record.VerifiedChunks > 0 || record.State == DownloadState.Completed)
            {
                Log.PartialLost(logger, record.FileId, problem ?? "missing");
                await store.ResetChunksAsync(record.FileId, cancellationToken).ConfigureAwait(false);
            }

            DeleteIfExists(partPath);
            partial = PartialFile.Create(partPath, record.Manifest.Size, flush);
        }

        if (record.State != DownloadState.Active)
        {
            await store.SetStateAsync(record.FileId, DownloadState.Active, null, cancellationToken).ConfigureAwait(false);
        }

        var target = new DownloadTarget(paths, store, record.Manifest, record.OutputDirectory, partial, logger);
        return new DownloadOpenResult(DownloadOpenStatus.Ready, target);
    }

    /// <summary>Hashes every chunk of a .part file state.db knew nothing about and records the ones that match.</summary>
    private static async Task<int> RecoverChunksAsync(PartialFile partial, DownloadStore store, FileManifest manifest, CancellationToken cancellationToken)
    {
        byte[] expected = StoredManifest.ToBlob(manifest);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(partial.Layout.ChunkSize);
        var intact = new List<int>();
        try
        {
            for (int i = 0; i < partial.Layout.ChunkCount; i++)
            {
                int length = await partial.ReadChunkAsync(i, buffer, cancellationToken).ConfigureAwait(false);
                if (MatchesHash(expected, i, buffer.AsSpan(0, length)))
                {
                    intact.Add(i);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (intact.Count > 0)
        {
            partial.FlushToDisk();
            await store.MarkChunksVerifiedAsync(manifest.Hash, intact, cancellationToken).ConfigureAwait(false);
        }

        return intact.Count;
    }

    private static bool HasLength(string path, long size)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length == size;
    }

    /// <summary>Two names of one file (a hard link left by an interrupted move): same length and same change time.</summary>
    private static bool SameFile(string a, string b)
    {
        var first = new FileInfo(a);
        var second = new FileInfo(b);
        return first.Exists && second.Exists && first.Length == second.Length && first.LastWriteTimeUtc == second.LastWriteTimeUtc;
    }

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
