namespace P2PShare.Tracker.Models;

/// <summary>What an announce did to the catalogue.</summary>
internal enum AnnounceOutcome
{
    /// <summary>The file was new and is now catalogued.</summary>
    Created,

    /// <summary>The file was already catalogued with the same content; the holder was recorded.</summary>
    Known,

    /// <summary>A manifest with the same hash but a different size or chunk list is catalogued: refused.</summary>
    Conflict,

    /// <summary>The peer already holds <c>MAX_FILES_PER_PEER</c> files: refused.</summary>
    PeerLimit,

    /// <summary>The catalogue already has <c>MAX_FILES</c> files: refused.</summary>
    FileLimit,

    /// <summary>Cataloguing the manifest would pass <c>MAX_MANIFEST_BYTES</c>: refused.</summary>
    ManifestBytesLimit,
}
