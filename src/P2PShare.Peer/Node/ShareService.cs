using P2PShare.Core.Manifests;
using P2PShare.Peer.Downloader.HolderSources;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Node;

/// <summary>What this node shares: files indexed (hashed once, then trusted while unchanged) and announced.</summary>
internal sealed class ShareService(SharedFileIndex index, IHolderAnnouncer announcer)
{
    public async Task<SharedFile> ShareAsync(string path, CancellationToken ct)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new InvalidOperationException($"{full} is a directory: share files one at a time, or run the node with -daemon on a data dir");
        }

        var result = await index.GetOrHashAsync(full, ct);
        var (file, manifest) = result.Status switch
        {
            IndexStatus.Indexed => (result.File!, result.Manifest!),
            IndexStatus.NotFound => throw new InvalidOperationException($"no such file: {full}"),
            IndexStatus.Changing => throw new InvalidOperationException($"{full} is still being written; try again when it is finished"),
            _ => throw new InvalidOperationException($"cannot read {full}: {result.Error}"),
        };
        await index.SetSharedAsync(full, true, ct);
        await announcer.AnnounceAsync(manifest, complete: true, verifiedChunks: manifest.ChunkCount, ct);
        return file;
    }

    public Task<IReadOnlyList<SharedFile>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<SharedFile>>(index.List().Where(f => f.Shared).ToList());

    public int Count => index.List().Count(f => f.Shared);

    /// <summary>Announces every shared file again (after registering with a tracker that forgot us).</summary>
    public async Task AnnounceAllAsync(CancellationToken ct)
    {
        foreach (string fileId in index.List().Where(f => f.Shared).Select(f => f.FileId).Distinct())
        {
            if (await index.GetManifestAsync(fileId, ct) is { } manifest)
            {
                await announcer.AnnounceAsync(manifest, complete: true, verifiedChunks: manifest.ChunkCount, ct);
            }
        }
    }

    /// <summary>Applies one change the daemon's folder watcher found (already applied to the index).</summary>
    public async Task ApplyAsync(FolderChange change, CancellationToken ct)
    {
        if (change.Previous is { } previous && index.FindById(previous.FileId).Count == 0)
        {
            await announcer.WithdrawAsync(previous.FileId, ct);
        }

        if (change.Manifest is { } manifest && change.Kind is FolderChangeKind.Added or FolderChangeKind.Changed)
        {
            await announcer.AnnounceAsync(manifest, complete: true, verifiedChunks: manifest.ChunkCount, ct);
        }
    }

    /// <summary>A shared file was found modified or deleted while serving: re-index it, withdraw the old ID.</summary>
    public async Task RecheckAsync(string fullPath, CancellationToken ct)
    {
        var removed = await index.RemoveAsync(fullPath, ct);
        if (removed is not null && index.FindById(removed.FileId).Count == 0)
        {
            await announcer.WithdrawAsync(removed.FileId, ct);
        }
    }
}
