using P2PShare.Core.Manifests;
using P2PShare.Tracker.Models;

namespace P2PShare.Tracker.Storage;

/// <summary>
/// The catalogued files and their holders. A file is catalogued by its first announce and leaves the catalogue
/// when its last holder goes. Every member is safe to call concurrently.
/// </summary>
internal interface IFileCatalog
{
    int Count { get; }

    /// <summary>Manifest bytes catalogued now, counted as <see cref="Models.ManifestCost"/> does.</summary>
    long ManifestBytes { get; }

    /// <summary>
    /// Records that <paramref name="peerId"/> holds the file, cataloguing the manifest if it is new.
    /// <paramref name="entry"/> is the catalogued entry (the existing one on a conflict); over a limit nothing is
    /// stored and the outcome names the limit.
    /// </summary>
    AnnounceOutcome Announce(FileManifest manifest, string peerId, FileHolding holding, out FileEntry entry);

    /// <summary>
    /// Forgets that the peer holds the file; returns false when it did not. <paramref name="removedFile"/> is set
    /// when that was the last holder and the file left the catalogue.
    /// </summary>
    bool Withdraw(string hash, string peerId, out FileEntry? removedFile);

    /// <summary>Forgets every holding of the peer; returns the files that left the catalogue as a result.</summary>
    IReadOnlyList<FileEntry> RemovePeer(string peerId);

    FileEntry? Find(string hash);

    /// <summary>How many files the peer holds, completely or partially.</summary>
    int CountHeldBy(string peerId);

    /// <summary>Every peer ID that holds at least one file.</summary>
    IReadOnlyList<string> Holders();

    IReadOnlyList<FileEntry> Snapshot();
}
