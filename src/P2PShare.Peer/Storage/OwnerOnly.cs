namespace P2PShare.Peer.Storage;

/// <summary>
/// Files and directories only the user running the peer may read: the state directory (0700) and the secrets and
/// records in it (0600). Each is created with its final mode, never created open and narrowed afterwards, so no other
/// local user can open it in between. On Windows the modes do not apply; the user profile's ACLs do the same job.
/// </summary>
internal static class OwnerOnly
{
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupAndOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) 0700; an existing one open to others is narrowed to 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryPermissions);
        Narrow(path, DirectoryPermissions);
    }

    /// <summary>Narrows an existing file that group or others can access to 0600; a missing file is left missing.</summary>
    public static void NarrowIfExists(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            Narrow(path, FilePermissions);
        }
    }

    /// <summary>Creates <paramref name="path"/> empty with mode 0600 unless it exists; an existing one is narrowed to 0600.</summary>
    public static void CreateEmptyFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, Options(FileMode.CreateNew));
        }
        catch (IOException) when (File.Exists(path))
        {
            NarrowIfExists(path);
        }
    }

    /// <summary>Opens (creating 0600 if missing) a file for exclusive read-write use.</summary>
    public static FileStream OpenExclusive(string path)
    {
        var stream = new FileStream(path, Options(FileMode.OpenOrCreate));
        NarrowIfExists(path);
        return stream;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="contents"/> atomically: written to a new, uniquely named
    /// temporary file created 0600 in the same directory, flushed, then renamed over the target.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> contents)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, Options(FileMode.CreateNew)))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FilePermissions;
        }

        return options;
    }

    private static void Narrow(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if ((File.GetUnixFileMode(path) & GroupAndOthers) != 0)
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
