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
}
