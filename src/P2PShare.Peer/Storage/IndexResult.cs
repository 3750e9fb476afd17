using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

internal enum IndexStatus
{
    /// <summary><see cref="IndexResult.File"/> and <see cref="IndexResult.Manifest"/> describe the file as it is now.</summary>
    Indexed,

    /// <summary>No regular file at that path.</summary>
    NotFound,

    /// <summary>The file changed while it was being hashed; try again once it has settled.</summary>
    Changing,

    /// <summary>The file cannot be read; <see cref="IndexResult.Error"/> says why.</summary>
    Unreadable,
}

/// <summary>The outcome of indexing one file. <see cref="Hashed"/> is false when the stored manifest was reused.</summary>
internal sealed record IndexResult(
    IndexStatus Status,
    SharedFile? File = null,
    FileManifest? Manifest = null,
    bool Hashed = false,
    string? Error = null);
