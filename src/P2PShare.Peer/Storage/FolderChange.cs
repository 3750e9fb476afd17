using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

internal enum FolderChangeKind
{
    /// <summary>A new file is indexed and shared: announce <see cref="FolderChange.Manifest"/>.</summary>
    Added,

    /// <summary>A file's content changed: withdraw <see cref="FolderChange.Previous"/>'s ID, announce the new manifest.</summary>
    Changed,

    /// <summary>A shared file is gone: withdraw <see cref="FolderChange.Previous"/>'s ID.</summary>
    Removed,
}

/// <summary>
/// One change in DATA_DIR, already applied to the index. <see cref="File"/> and <see cref="Manifest"/> are set for
/// Added and Changed, <see cref="Previous"/> for Changed and Removed.
/// </summary>
internal sealed record FolderChange(
    FolderChangeKind Kind,
    string FullPath,
    SharedFile? File = null,
    FileManifest? Manifest = null,
    SharedFile? Previous = null);
