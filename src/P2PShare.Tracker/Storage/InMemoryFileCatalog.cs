using System.Collections.Concurrent;
using P2PShare.Core.Manifests;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Models;

namespace P2PShare.Tracker.Storage;

/// <summary>
/// Files in a concurrent dictionary. Readers take no lock; writers take one lock, so a file and the per-peer index
/// never disagree about who holds what. Bounded by <see cref="TrackerOptions.MaxFiles"/>,
/// <see cref="TrackerOptions.MaxFilesPerPeer"/> and <see cref="TrackerOptions.MaxManifestBytes"/>.
/// </summary>
internal sealed class InMemoryFileCatalog(TrackerOptions options) : IFileCatalog
{
    private readonly ConcurrentDictionary<string, FileEntry> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _filesByPeer = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private long _manifestBytes;

    public int Count => _files.Count;

    /// <summary>Manifest bytes catalogued now, as <see cref="ManifestCost"/> counts them.</summary>
    public long ManifestBytes => Interlocked.Read(ref _manifestBytes);

    public AnnounceOutcome Announce(FileManifest manifest, string peerId, FileHolding holding, out FileEntry entry)
    {
        lock (_writeLock)
        {
            _filesByPeer.TryGetValue(peerId, out var held);
            bool newHolding = held is null || !held.Contains(manifest.Hash);
            if (newHolding && held is not null && held.Count >= options.MaxFilesPerPeer)
            {
                entry = _files.GetValueOrDefault(manifest.Hash) ?? new FileEntry(manifest, holding.AnnouncedAt);
                return AnnounceOutcome.PeerLimit;
            }

            var outcome = AnnounceOutcome.Known;
            if (!_files.TryGetValue(manifest.Hash, out entry!))
            {
                entry = new FileEntry(manifest, holding.AnnouncedAt);
                long cost = ManifestCost.Of(manifest);
                if (_files.Count >= options.MaxFiles)
                {
                    return AnnounceOutcome.FileLimit;
                }

                if (_manifestBytes + cost > options.MaxManifestBytes)
                {
                    return AnnounceOutcome.ManifestBytesLimit;
                }

                _files[manifest.Hash] = entry;
                Interlocked.Add(ref _manifestBytes, cost);
                outcome = AnnounceOutcome.Created;
            }
            else if (!SameContent(entry.Manifest, manifest))
            {
                return AnnounceOutcome.Conflict;
            }

            entry.Holders[peerId] = holding;
            if (held is null)
            {
                held = new HashSet<string>(StringComparer.Ordinal);
                _filesByPeer[peerId] = held;
            }

            held.Add(manifest.Hash);
            return outcome;
        }
    }

    public bool Withdraw(string hash, string peerId, out FileEntry? removedFile)
    {
        lock (_writeLock)
        {
            removedFile = null;
            if (!_filesByPeer.TryGetValue(peerId, out var held) || !held.Remove(hash))
            {
                return false;
            }

            if (held.Count == 0)
            {
                _filesByPeer.Remove(peerId);
            }

            removedFile = DropHolder(hash, peerId);
            return true;
        }
    }

    public IReadOnlyList<FileEntry> RemovePeer(string peerId)
    {
        lock (_writeLock)
        {
            if (!_filesByPeer.Remove(peerId, out var held))
            {
                return [];
            }

            var removed = new List<FileEntry>();
            foreach (string hash in held)
            {
                if (DropHolder(hash, peerId) is { } gone)
                {
                    removed.Add(gone);
                }
            }

            return removed;
        }
    }

    public FileEntry? Find(string hash) => _files.TryGetValue(hash, out var entry) ? entry : null;

    public int CountHeldBy(string peerId)
    {
        lock (_writeLock)
        {
            return _filesByPeer.TryGetValue(peerId, out var held) ? held.Count : 0;
        }
    }

    public IReadOnlyList<string> Holders()
    {
        lock (_writeLock)
        {
            return [.. _filesByPeer.Keys];
        }
    }

    public IReadOnlyList<FileEntry> Snapshot() => [.. _files.Values];

    /// <summary>Same hash and, as the hash promises, the same size and chunks; the name may differ.</summary>
    private static bool SameContent(FileManifest catalogued, FileManifest announced) =>
        catalogued.Size == announced.Size
        && catalogued.ChunkCount == announced.ChunkCount
        && catalogued.ChunkHashes.SequenceEqual(announced.ChunkHashes, StringComparer.Ordinal);

    private FileEntry? DropHolder(string hash, string peerId)
    {
        if (!_files.TryGetValue(hash, out var entry))
        {
            return null;
        }

        entry.Holders.TryRemove(peerId, out _);
        if (!entry.Holders.IsEmpty)
        {
            return null;
        }

        _files.TryRemove(hash, out _);
        Interlocked.Add(ref _manifestBytes, -ManifestCost.Of(entry.Manifest));
        return entry;
    }
}
