using P2PShare.Core.Hashing;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

/// <summary>
/// The index of local files, keyed by path and trusted while size and mtime are unchanged, so a file is hashed
/// once and never again until it changes. Paths, stamps and IDs are kept in memory (lookups by file ID serve every
/// chunk request); chunk hashes stay in state.db until a manifest is asked for.
/// </summary>
internal sealed class SharedFileIndex
{
    private readonly StateDatabase _db;
    private readonly PeerPaths _paths;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SharedFile> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SharedFile>> _byId = new(StringComparer.Ordinal);
    private int _hashCount;

    private SharedFileIndex(StateDatabase db, PeerPaths paths, TimeProvider time)
    {
        _db = db;
        _paths = paths;
        _time = time;
    }

    /// <summary>How many files this instance has hashed (index misses); hits do not count.</summary>
    public int HashCount => Volatile.Read(ref _hashCount);

    public static async Task<SharedFileIndex> OpenAsync(StateDatabase db, PeerPaths paths, TimeProvider time, CancellationToken cancellationToken)
    {
        var index = new SharedFileIndex(db, paths, time);
        var rows = await db.ExecuteAsync(SharedFileRows.LoadAll, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            index.Put(new SharedFile(paths.FromStoredPath(row.StoredPath), row.Size, row.ModifiedTicks, row.FileId, row.Name, row.Shared));
        }

        return index;
    }

    public IReadOnlyList<SharedFile> List()
    {
        lock (_lock)
        {
            return [.. _byPath.Values.OrderBy(f => f.FullPath, StringComparer.Ordinal)];
        }
    }

    public SharedFile? Find(string fullPath)
    {
        lock (_lock)
        {
            return _byPath.GetValueOrDefault(Path.GetFullPath(fullPath));
        }
    }

    /// <summary>Every shared local file with this ID (the same content can sit at several paths).</summary>
    public IReadOnlyList<SharedFile> FindById(string fileId)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(fileId.ToLowerInvariant(), out var files) ? [.. files.Where(f => f.Shared)] : [];
        }
    }

    /// <summary>True when a whole local file with this ID is shared (<see cref="FindById"/> without building the list).</summary>
    public bool IsShared(string fileId)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(fileId.ToLowerInvariant(), out var files) && files.Exists(f => f.Shared);
        }
    }

    /// <summary>The manifest of a shared file with this ID, or null when there is none (or its row is damaged).</summary>
    public async Task<FileManifest?> GetManifestAsync(string fileId, CancellationToken cancellationToken)
    {
        foreach (var file in FindById(fileId))
        {
            string stored = _paths.ToStoredPath(file.FullPath);
            var manifest = await _db.ExecuteAsync(c => SharedFileRows.LoadManifest(c, stored), cancellationToken).ConfigureAwait(false);
            if (manifest is not null)
            {
                return manifest;
            }
        }

        return null;
    }

    /// <summary>
    /// The manifest of the file at <paramref name="fullPath"/>: from the index when its size and mtime match, otherwise
    /// hashed on all cores and stored. A file that changes while being hashed gives <see cref="IndexStatus.Changing"/>.
    /// </summary>
    public async Task<IndexResult> GetOrHashAsync(string fullPath, CancellationToken cancellationToken)
    {
        fullPath = Path.GetFullPath(fullPath);
        if (FileStamp.Read(fullPath) is not { } before)
        {
            return new IndexResult(IndexStatus.NotFound, Error: $"{fullPath} is not a file");
        }

        string stored = _paths.ToStoredPath(fullPath);
        var known = Find(fullPath);
        if (known is not null && known.Size == before.Size && known.ModifiedTicks == before.ModifiedTicks)
        {
            var reused = await _db.ExecuteAsync(c => SharedFileRows.LoadManifest(c, stored), cancellationToken).ConfigureAwait(false);
            if (reused is not null)
            {
                return new IndexResult(IndexStatus.Indexed, known, reused);
            }
        }

        FileManifest manifest;
        try
        {
            manifest = before.Size == 0
                ? ManifestBuilder.FromHashes(Path.GetFileName(fullPath), 0, new ChunkHashes(0)) // never opens FIFOs or devices
                : await ManifestBuilder.BuildAsync(fullPath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return new IndexResult(IndexStatus.NotFound, Error: $"{fullPath} disappeared while being hashed");
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            return FileStamp.Read(fullPath) == before
                ? new IndexResult(IndexStatus.Unreadable, Error: StorageErrors.Describe($"cannot read {fullPath}", ex))
                : new IndexResult(IndexStatus.Changing, Error: $"{fullPath} changed while being hashed");
        }

        Interlocked.Increment(ref _hashCount);
        if (FileStamp.Read(fullPath) != before)
        {
            return new IndexResult(IndexStatus.Changing, Error: $"{fullPath} changed while being hashed");
        }

        var file = new SharedFile(fullPath, before.Size, before.ModifiedTicks, manifest.Hash, manifest.Name, known?.Shared ?? true);
        await StoreAsync(stored, file, manifest, cancellationToken).ConfigureAwait(false);
        return new IndexResult(IndexStatus.Indexed, file, manifest, Hashed: true);
    }

    /// <summary>
    /// Indexes a file whose manifest is already known (a finished download) without hashing it. The file's size must
    /// match the manifest.
    /// </summary>
    public async Task<IndexResult> RegisterAsync(string fullPath, FileManifest manifest, CancellationToken cancellationToken)
    {
        fullPath = Path.GetFullPath(fullPath);
        if (FileStamp.Read(fullPath) is not { } stamp)
        {
            return new IndexResult(IndexStatus.NotFound, Error: $"{fullPath} is not a file");
        }

        if (stamp.Size != manifest.Size)
        {
            return new IndexResult(IndexStatus.Changing, Error: $"{fullPath} is {stamp.Size} bytes, its manifest says {manifest.Size}");
        }

        var named = manifest with { Hash = manifest.Hash.ToLowerInvariant(), Name = Path.GetFileName(fullPath) };
        var file = new SharedFile(fullPath, stamp.Size, stamp.ModifiedTicks, named.Hash, named.Name, Find(fullPath)?.Shared ?? true);
        await StoreAsync(_paths.ToStoredPath(fullPath), file, named, cancellationToken).ConfigureAwait(false);
        return new IndexResult(IndexStatus.Indexed, file, named);
    }

    /// <summary>Forgets the file at <paramref name="fullPath"/>; returns what was indexed, or null.</summary>
    public Task<SharedFile?> RemoveAsync(string fullPath, CancellationToken cancellationToken)
    {
        fullPath = Path.GetFullPath(fullPath);
        string stored = _paths.ToStoredPath(fullPath);
        return _db.ExecuteAsync(connection =>
        {
            SharedFileRows.Delete(connection, stored);
            lock (_lock)
            {
                return Take(fullPath);
            }
        }, cancellationToken);
    }

    /// <summary>Marks an indexed file as shared or withdrawn; returns false when the path is not indexed.</summary>
    public Task<bool> SetSharedAsync(string fullPath, bool shared, CancellationToken cancellationToken)
    {
        fullPath = Path.GetFullPath(fullPath);
        string stored = _paths.ToStoredPath(fullPath);
        return _db.ExecuteAsync(connection =>
        {
            if (Find(fullPath) is not { } file)
            {
                return false;
            }

            SharedFileRows.SetShared(connection, stored, shared);
            lock (_lock)
            {
                Take(fullPath);
                Put(file with { Shared = shared });
            }

            return true;
        }, cancellationToken);
    }

    private Task StoreAsync(string stored, SharedFile file, FileManifest manifest, CancellationToken cancellationToken) =>
        _db.ExecuteAsync(connection =>
        {
            SharedFileRows.Upsert(connection, stored, file, manifest, _time.GetUtcNow());
            lock (_lock)
            {
                Take(file.FullPath);
                Put(file);
            }

            return true;
        }, cancellationToken);

    private void Put(SharedFile file)
    {
        _byPath[file.FullPath] = file;
        if (!_byId.TryGetValue(file.FileId, out var files))
        {
            _byId[file.FileId] = files = [];
        }

        files.Add(file);
    }

    private SharedFile? Take(string fullPath)
    {
        if (!_byPath.Remove(fullPath, out var file))
        {
            return null;
        }

        var files = _byId[file.FileId];
        files.RemoveAll(f => f.FullPath == fullPath);
        if (files.Count == 0)
        {
            _byId.Remove(file.FileId);
        }

        return file;
    }
}
