namespace P2PShare.Peer.Storage;

/// <summary>
/// Where a peer keeps things: shared and completed files directly in <see cref="DataDir"/>, its own state in
/// <c>DATA_DIR/.p2pshare/</c> (identity key, state.db, partial downloads).
/// </summary>
internal sealed class PeerPaths
{
    public const string StateDirName = ".p2pshare";
    public const string PartialExtension = ".part";

    public PeerPaths(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        DataDir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir));
        StateDir = Path.Combine(DataDir, StateDirName);
        StateDatabase = Path.Combine(StateDir, "state.db");
        IdentityKey = Path.Combine(StateDir, "identity.key");
        LockFile = Path.Combine(StateDir, "lock");
        PartialDir = Path.Combine(StateDir, "partial");
    }

    public string DataDir { get; }

    public string StateDir { get; }

    public string StateDatabase { get; }

    public string IdentityKey { get; }

    public string PartialDir { get; }

    /// <summary>Held open exclusively while a peer uses this data directory, so two peers cannot share it.</summary>
    public string LockFile { get; }

    /// <summary>
    /// Creates the data, state and partial directories if they are missing. The state directory and partial/ are
    /// the owner's only (0700, narrowed if an existing one is open to others): they hold the control token, the
    /// identity key and the list of every shared file.
    /// </summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(DataDir);
        OwnerOnly.CreateDirectory(StateDir);
        OwnerOnly.CreateDirectory(PartialDir);
    }

    /// <summary>The partial file of a download; the file ID must be a 64-digit hex hash, so it cannot name a path.</summary>
    public string PartialPathFor(string fileId)
    {
        if (!Core.Hashing.Sha256Hash.IsHex(fileId))
        {
            throw new ArgumentException($"file ID must be 64 hex digits, got '{fileId}'", nameof(fileId));
        }

        return Path.Combine(PartialDir, fileId.ToLowerInvariant() + PartialExtension);
    }

    /// <summary>True when <paramref name="fullPath"/> is <see cref="StateDir"/> or anything inside it.</summary>
    public bool IsInStateDir(string fullPath) => IsUnder(StateDir, fullPath);

    /// <summary>True when <paramref name="fullPath"/> is inside <see cref="DataDir"/> (not the directory itself).</summary>
    public bool IsInDataDir(string fullPath) => IsUnder(DataDir, fullPath) && fullPath.Length > DataDir.Length;

    /// <summary>
    /// How state.db records a local file: relative to DATA_DIR when inside it (so the directory can move),
    /// otherwise the absolute path.
    /// </summary>
    public string ToStoredPath(string fullPath)
    {
        string full = Path.GetFullPath(fullPath);
        return IsInDataDir(full) ? Path.GetRelativePath(DataDir, full) : full;
    }

    public string FromStoredPath(string storedPath) =>
        Path.IsPathFullyQualified(storedPath) ? storedPath : Path.Combine(DataDir, storedPath);

    private static bool IsUnder(string directory, string fullPath)
    {
        if (!fullPath.StartsWith(directory, StringComparison.Ordinal))
        {
            return false;
        }

        return fullPath.Length == directory.Length
            || fullPath[directory.Length] == Path.DirectorySeparatorChar
            || fullPath[directory.Length] == Path.AltDirectorySeparatorChar;
    }
}
