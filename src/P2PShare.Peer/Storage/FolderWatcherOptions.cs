namespace P2PShare.Peer.Storage;

/// <summary>Settings of the daemon's auto-share folder watcher.</summary>
internal sealed record FolderWatcherOptions
{
    /// <summary>Full rescan period, which also catches anything the file-system events missed. Default 60 s.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Quiet time after the last file-system event before scanning. Default 500 ms.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A new or changed file is hashed only once it has not been modified for this long (by its mtime, or by two
    /// observations this far apart), so a file still being written is not shared half-done. Default 2 s.
    /// </summary>
    public TimeSpan SettleDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Use FileSystemWatcher events; when false only the periodic rescan runs. Default true.</summary>
    public bool WatchFileSystem { get; init; } = true;
}
