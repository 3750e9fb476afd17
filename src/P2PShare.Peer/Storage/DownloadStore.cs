using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

/// <summary>
/// The downloads table with each download's verified-chunk bitmap. Everything is kept in memory for fast
/// lookups (serving checks <see cref="IsChunkServable"/> per request) and written through to state.db; a change
/// is visible in memory only after its commit. Besides the verified bits, chunks written but not yet committed are
/// marked in memory only (<see cref="TryMarkWritten"/>): they are served, and a crash forgets them.
/// </summary>
internal sealed class DownloadStore
{
    private readonly StateDatabase _db;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries;
    private readonly Lock _lock = new();

    private DownloadStore(StateDatabase db, TimeProvider time, Dictionary<string, Entry> entries)
    {
        _db = db;
        _time = time;
        _entries = entries;
    }

    /// <summary>The clock the store stamps rows with; downloads use it for their commit timing too.</summary>
    public TimeProvider Time => _time;

    /// <summary>Loads every download; a row whose manifest no longer matches its ID is logged and dropped.</summary>
    public static async Task<DownloadStore> OpenAsync(StateDatabase db, TimeProvider time, ILogger? logger, CancellationToken cancellationToken)
    {
        logger ??= NullLogger.Instance;
        var entries = await db.ExecuteAsync(connection => DownloadRows.LoadAll(connection, logger), cancellationToken).ConfigureAwait(false);
        return new DownloadStore(db, time, entries);
    }

    public DownloadRecord? Find(string fileId)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(Key(fileId), out var entry) ? entry.Snapshot() : null;
        }
    }

    public IReadOnlyList<DownloadRecord> List()
    {
        lock (_lock)
        {
            return [.. _entries.Values.Select(e => e.Snapshot()).OrderBy(r => r.CreatedAt)];
        }
    }

    /// <summary>
    /// Notes that chunk <paramref name="index"/> has been checked and written to the .part file but is not committed
    /// yet: it may be served (its bytes are in the file) though a crash may still lose it. In memory only. Returns
    /// false when the chunk was already written or verified.
    /// </summary>
    public bool TryMarkWritten(string fileId, int index)
    {
        lock (_lock)
        {
            var entry = Get(fileId);
            return !entry.Bitmap[index] && entry.Written.Set(index);
        }
    }

    /// <summary>Forgets chunks written but never committed (a download reopened after its commits stopped).</summary>
    public void ForgetUncommitted(string fileId)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(Key(fileId), out var entry))
            {
                entry.Written = new ChunkBitmap(entry.Bitmap.Count);
            }
        }
    }

    /// <summary>True when the chunk is verified, or written and waiting for its commit: either way it can be served.</summary>
    public bool IsChunkServable(string fileId, int index)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(Key(fileId), out var entry) && (uint)index < (uint)entry.Bitmap.Count && (entry.Bitmap[index] || entry.Written[index]);
        }
    }

    /// <summary>The chunks that can be served (verified or written), or null for an unknown download.</summary>
    public ChunkBitmap? GetServableBitmap(string fileId)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(Key(fileId), out var entry))
            {
                return null;
            }

            var servable = entry.Bitmap.Clone();
            for (int i = 0; i < servable.Count; i++)
            {
                if (entry.Written[i])
                {
                    servable.Set(i);
                }
            }

            return servable;
        }
    }

    /// <summary>A copy of the verified-chunk bitmap, or null for an unknown download.</summary>
    public ChunkBitmap? GetBitmap(string fileId)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(Key(fileId), out var entry) ? entry.Bitmap.Clone() : null;
        }
    }

    /// <summary>Records a new active download; when the file ID is already known, returns the existing record unchanged.</summary>
    /// <exception cref="ArgumentException">The manifest is invalid (callers validate manifests from the network first).</exception>
    public Task<DownloadRecord> AddAsync(FileManifest manifest, string? outputDirectory, CancellationToken cancellationToken)
    {
        string? problem = ManifestValidator.Validate(manifest);
        if (problem is not null)
        {
            throw new ArgumentException($"invalid manifest: {problem}", nameof(manifest));
        }

        return _db.ExecuteAsync(connection =>
        {
            lock (_lock)
            {
                if (_entries.TryGetValue(Key(manifest.Hash), out var existing))
                {
                    return existing.Snapshot();
                }
            }

            var now = _time.GetUtcNow();
            var entry = new Entry(manifest with { Hash = Key(manifest.Hash) }, new ChunkBitmap(manifest.ChunkCount), DownloadState.Active, now)
            {
                OutputDirectory = outputDirectory,
            };
            DownloadRows.Insert(connection, entry);
            lock (_lock)
            {
                _entries[entry.Manifest.Hash] = entry;
                return entry.Snapshot();
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Persists the bits for chunks whose data is already flushed to disk (the caller's half of the ordering), then
    /// makes them visible. Returns how many were newly set.
    /// </summary>
    public Task<int> MarkChunksVerifiedAsync(string fileId, IReadOnlyCollection<int> indexes, CancellationToken cancellationToken) =>
        _db.ExecuteAsync(connection =>
        {
            ChunkBitmap bitmap;
            long bytes;
            int added = 0;
            Entry entry;
            lock (_lock)
            {
                entry = Get(fileId);
                bitmap = entry.Bitmap.Clone();
                bytes = entry.VerifiedBytes;
                foreach (int index in indexes)
                {
                    if (bitmap.Set(index))
                    {
                        added++;
                        bytes += entry.Layout.LengthOf(index);
                    }
                }
            }

            if (added == 0)
            {
                return 0;
            }

            var now = _time.GetUtcNow();
            DownloadRows.UpdateBitmap(connection, entry.Manifest.Hash, bitmap.ToBytes(), bytes, now);
            lock (_lock)
            {
                entry.Bitmap = bitmap;
                entry.VerifiedBytes = bytes;
                entry.UpdatedAt = now;
            }

            return added;
        }, cancellationToken);

    public Task<int> MarkChunkVerifiedAsync(string fileId, int index, CancellationToken cancellationToken) =>
        MarkChunksVerifiedAsync(fileId, [index], cancellationToken);

    /// <summary>Forgets every verified chunk, for when the partial file is gone or has the wrong size.</summary>
    public Task ResetChunksAsync(string fileId, CancellationToken cancellationToken) =>
        Update(fileId, entry =>
        {
            entry.Bitmap = new ChunkBitmap(entry.Manifest.ChunkCount);
            entry.VerifiedBytes = 0;
        }, cancellationToken);

    public Task SetStateAsync(string fileId, DownloadState state, string? error, CancellationToken cancellationToken) =>
        Update(fileId, entry =>
        {
            entry.State = state;
            entry.Error = error;
        }, cancellationToken);

    /// <summary>Records the chosen destination before the partial file is moved there, so a restart can finish the move.</summary>
    public Task SetFinalPathAsync(string fileId, string finalPath, CancellationToken cancellationToken) =>
        Update(fileId, entry => entry.FinalPath = finalPath, cancellationToken);

    public Task MarkCompletedAsync(string fileId, string finalPath, CancellationToken cancellationToken) =>
        Update(fileId, entry =>
        {
            entry.State = DownloadState.Completed;
            entry.FinalPath = finalPath;
            entry.Error = null;
        }, cancellationToken);

    /// <summary>Deletes the record (not the files); returns false when there was none.</summary>
    public Task<bool> RemoveAsync(string fileId, CancellationToken cancellationToken) =>
        _db.ExecuteAsync(connection =>
        {
            if (!DownloadRows.Delete(connection, Key(fileId)))
            {
                return false;
            }

            lock (_lock)
            {
                _entries.Remove(Key(fileId));
            }

            return true;
        }, cancellationToken);

    private static string Key(string fileId) => fileId.ToLowerInvariant();

    /// <summary>Applies <paramref name="change"/> to a copy, writes the copy, then swaps it in.</summary>
    private Task Update(string fileId, Action<Entry> change, CancellationToken cancellationToken) =>
        _db.ExecuteAsync(connection =>
        {
            Entry updated;
            lock (_lock)
            {
                updated = Get(fileId).Copy();
            }

            change(updated);
            updated.UpdatedAt = _time.GetUtcNow();
            DownloadRows.UpdateAll(connection, updated);
            lock (_lock)
            {
                _entries[updated.Manifest.Hash] = updated;
            }

            return true;
        }, cancellationToken);

    private Entry Get(string fileId) =>
        _entries.TryGetValue(Key(fileId), out var entry)
            ? entry
            : throw new KeyNotFoundException($"no download with file ID {fileId}");

    /// <summary>The mutable in-memory row; only touched under the store's lock or as a private copy.</summary>
    internal sealed class Entry(FileManifest manifest, ChunkBitmap bitmap, DownloadState state, DateTimeOffset createdAt)
    {
        public FileManifest Manifest { get; } = manifest;

        public ChunkLayout Layout { get; } = new(manifest.Size, manifest.ChunkSize);

        public ChunkBitmap Bitmap { get; set; } = bitmap;

        /// <summary>Written and checked, not yet committed (see <see cref="TryMarkWritten"/>); never persisted.</summary>
        public ChunkBitmap Written { get; set; } = new(bitmap.Count);

        public DownloadState State { get; set; } = state;

        public string? OutputDirectory { get; set; }

        public string? FinalPath { get; set; }

        public long VerifiedBytes { get; set; }

        public string? Error { get; set; }

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public Entry Copy() => new(Manifest, Bitmap.Clone(), State, CreatedAt)
        {
            OutputDirectory = OutputDirectory,
            FinalPath = FinalPath,
            VerifiedBytes = VerifiedBytes,
            Error = Error,
            UpdatedAt = UpdatedAt,
            Written = Written, // in-memory marks stay with the row (shared: a mark set while the copy is written counts)
        };

        public DownloadRecord Snapshot() => new()
        {
            Manifest = Manifest,
            State = State,
            OutputDirectory = OutputDirectory,
            FinalPath = FinalPath,
            VerifiedChunks = Bitmap.SetCount,
            VerifiedBytes = VerifiedBytes,
            Error = Error,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
        };
    }
}
