using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Hashing;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

/// <summary>
/// One download's files on disk, with the ordering that makes crashes safe: a chunk is checked against the
/// manifest and written to the .part file; later, in batches (<see cref="ChunkCommitter"/>), the file is fsynced and
/// only then are the chunks marked verified in state.db. A finished file is renamed into place without ever
/// overwriting anything. Open with <see cref="OpenAsync"/>, which also resumes and repairs.
/// </summary>
internal sealed partial class DownloadTarget : IAsyncDisposable
{
    private readonly PeerPaths _paths;
    private readonly DownloadStore _store;
    private readonly ILogger _logger;
    private readonly byte[] _expectedHashes;
    private readonly ChunkCommitter _committer;
    private PartialFile? _partial;

    private DownloadTarget(PeerPaths paths, DownloadStore store, FileManifest manifest, string? outputDirectory, PartialFile partial, ILogger logger)
    {
        _paths = paths;
        _store = store;
        _logger = logger;
        Manifest = manifest;
        OutputDirectory = outputDirectory ?? paths.DataDir;
        _partial = partial;
        _expectedHashes = StoredManifest.ToBlob(manifest);
        _committer = new ChunkCommitter(CommitAsync, store.Time);
        store.ForgetUncommitted(manifest.Hash); // written by an earlier target whose commits did not all land
    }

    public FileManifest Manifest { get; }

    public string FileId => Manifest.Hash;

    public string OutputDirectory { get; }

    public string PartialPath => _paths.PartialPathFor(FileId);

    /// <summary>Number of fsync + state.db commits so far; one per batch of up to 32 chunks.</summary>
    public int CommitCount => _committer.BatchCount;

    /// <summary>True once chunk <paramref name="index"/> has been written (durable now or after the next commit).</summary>
    public bool HasChunk(int index) => _store.IsChunkServable(FileId, index);

    /// <summary>A copy of the verified-chunk bitmap (also the payload of a Bitfield message).</summary>
    public ChunkBitmap Bitmap => _store.GetBitmap(FileId) ?? new ChunkBitmap(Manifest.ChunkCount);

    public bool IsComplete => _store.Find(FileId)?.IsComplete ?? false;

    /// <summary>
    /// Checks <paramref name="data"/> against chunk <paramref name="index"/>'s hash, writes it and queues it for the
    /// next commit (<see cref="FlushAsync"/> waits for that). Safe to call concurrently for different chunks.
    /// </summary>
    public async Task<ChunkWriteResult> WriteChunkAsync(int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if ((uint)index >= (uint)Manifest.ChunkCount)
        {
            return ChunkWriteResult.Mismatch($"chunk index {index} is out of range (file has {Manifest.ChunkCount} chunks)");
        }

        if (_partial is not { IsOpen: true } partial || HasChunk(index))
        {
            return ChunkWriteResult.AlreadyHave; // completed (or completing): every chunk is already verified
        }

        if (data.Length != partial.Layout.LengthOf(index))
        {
            return ChunkWriteResult.Mismatch($"chunk {index} must be {partial.Layout.LengthOf(index)} bytes, got {data.Length}");
        }

        if (!MatchesHash(_expectedHashes, index, data.Span))
        {
            return ChunkWriteResult.Mismatch($"chunk {index} does not match its SHA-256 in the manifest");
        }

        try
        {
            await partial.WriteChunkAsync(index, data, cancellationToken).ConfigureAwait(false);
            if (!_store.TryMarkWritten(FileId, index))
            {
                return ChunkWriteResult.AlreadyHave; // a duplicate written at the same time; one commit is enough
            }

            await _committer.AddAsync(index, cancellationToken).ConfigureAwait(false);
            return ChunkWriteResult.Written;
        }
        catch (ObjectDisposedException)
        {
            return ChunkWriteResult.AlreadyHave; // lost the race with completion (every chunk is in) or with a pause
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex) || ex is StateDatabaseException)
        {
            return ChunkWriteResult.Fail(StorageErrors.Describe($"cannot save chunk {index} of {Manifest.Name}", ex));
        }
    }

    /// <summary>
    /// Moves the finished file to a free, sanitised name in <see cref="OutputDirectory"/> and marks the download
    /// completed. Returns the final path, or an error when chunks are missing or the move failed (nothing is lost:
    /// the partial file stays and a later call or restart finishes the job).
    /// </summary>
    public async Task<(string? FinalPath, string? Error)> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_partial is not { } partial)
        {
            return (_store.Find(FileId)?.FinalPath, null);
        }

        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex) || ex is StateDatabaseException)
        {
            return (null, StorageErrors.Describe($"cannot save the last chunks of {Manifest.Name}", ex));
        }

        var record = _store.Find(FileId);
        if (record is null || !record.IsComplete)
        {
            int missing = Manifest.ChunkCount - (record?.VerifiedChunks ?? 0);
            return (null, $"{Manifest.Name} is not complete: {missing} of {Manifest.ChunkCount} chunks are missing");
        }

        try
        {
            Directory.CreateDirectory(OutputDirectory);
            string name = FileNameSanitizer.Sanitize(Manifest.Name);
            for (int attempt = 1; ; attempt++)
            {
                string finalPath = FileNameSanitizer.UniquePath(OutputDirectory, name);
                await _store.SetFinalPathAsync(FileId, finalPath, cancellationToken).ConfigureAwait(false);
                try
                {
                    MoveIntoPlace(partial, finalPath);
                }
                catch (IOException) when (attempt < 5 && File.Exists(finalPath))
                {
                    continue; // someone took the name between the check and the move; pick the next free one
                }

                await _store.MarkCompletedAsync(FileId, finalPath, cancellationToken).ConfigureAwait(false);
                _partial = null;
                Log.Completed(_logger, FileId, finalPath);
                return (finalPath, null);
            }
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex) || ex is StateDatabaseException)
        {
            return (null, StorageErrors.Describe($"cannot move {Manifest.Name} into {OutputDirectory}", ex));
        }
    }

    /// <summary>Makes every chunk written so far durable and recorded.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _committer.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _committer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex) || ex is StateDatabaseException)
        {
            Log.FinalCommitFailed(_logger, FileId, ex.Message);
        }

        if (_partial is not null)
        {
            await _partial.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Two renames: into a hidden temporary name in the output directory (a copy when that is on another file
    /// system, so a crash never leaves a half-copied file under the real name), then to the final name.
    /// </summary>
    private void MoveIntoPlace(PartialFile partial, string finalPath)
    {
        string staging = StagingPath(OutputDirectory, FileId);
        if (partial.Path != staging)
        {
            if (File.Exists(staging))
            {
                File.Delete(staging); // left by an interrupted completion; the .part file is still the real copy
            }

            partial.MoveTo(staging);
        }

        partial.MoveTo(finalPath);
    }

    private static string StagingPath(string directory, string fileId) => Path.Combine(directory, $".{fileId}.p2pshare-tmp");

    private static bool MatchesHash(byte[] expectedHashes, int index, ReadOnlySpan<byte> data)
    {
        Span<byte> actual = stackalloc byte[Sha256Hash.Size];
        SHA256.HashData(data, actual);
        return actual.SequenceEqual(expectedHashes.AsSpan(index * Sha256Hash.Size, Sha256Hash.Size));
    }

    private Task CommitAsync(IReadOnlyList<int> indexes)
    {
        var partial = _partial;
        if (partial is null || !partial.IsOpen)
        {
            return Task.CompletedTask; // completion flushed and closed the file, and every bit is already set
        }

        partial.FlushToDisk(); // data first, then the bits that vouch for it
        return _store.MarkChunksVerifiedAsync(FileId, indexes, CancellationToken.None);
    }
}
