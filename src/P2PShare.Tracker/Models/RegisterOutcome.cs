namespace P2PShare.Tracker.Models;

/// <summary>What a registration did.</summary>
internal enum RegisterOutcome
{
    /// <summary>A new peer.</summary>
    Registered,

    /// <summary>A known peer ID with the same key: token and addresses replaced (a restarted peer).</summary>
    Replaced,

    /// <summary>A known peer ID with a different key: refused.</summary>
    KeyConflict,
}
