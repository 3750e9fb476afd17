using System.IO.Enumeration;

namespace P2PShare.Peer.Storage;

/// <summary>
/// Walks DATA_DIR and compares what is there with the index, by size and mtime only (no reading, no hashing).
/// Skipped: the <c>.p2pshare</c> state directory, hidden files and directories (names starting with a dot),
/// symbolic links, temporary names (<c>*.part</c>, <c>*.tmp</c>, <c>*.crdownload</c>, <c>*.swp</c>, <c>*~</c>,
/// <c>~$*</c>) and empty files — which also keeps FIFOs, sockets and devices out, as they report zero bytes.
/// </summary>
internal sealed class FolderScanner(PeerPaths paths)
{
    private static readonly string[] TemporarySuffixes = [".part", ".partial", ".tmp", ".crdownload", ".swp", "~"];

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Every file the scanner would share, with its current stamp.</summary>
    public List<(string FullPath, FileStamp Stamp)> Enumerate()
    {
        if (!Directory.Exists(paths.DataDir))
        {
            return [];
        }

        var enumerable = new FileSystemEnumerable<(string, FileStamp)>(
            paths.DataDir,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), new FileStamp(entry.Length, entry.LastWriteTimeUtc.UtcDateTime.Ticks)),
            Options)
        {
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
                !IsSkippedName(entry.FileName) && !IsLink(entry) && !paths.IsInStateDir(entry.ToFullPath()),
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory && entry.Length > 0 && !IsLink(entry) && !IsSkippedName(entry.FileName),
        };
        return [.. enumerable];
    }

    /// <summary>Differences between the files on disk and the index entries that live inside DATA_DIR.</summary>
    public List<ScanDifference> Compare(IEnumerable<(string FullPath, FileStamp Stamp)> onDisk, IEnumerable<SharedFile> indexed)
    {
        var known = indexed
            .Where(f => paths.IsInDataDir(f.FullPath))
            .ToDictionary(f => f.FullPath, StringComparer.Ordinal);
        var differences = new List<ScanDifference>();
        foreach (var (fullPath, stamp) in onDisk)
        {
            if (!known.Remove(fullPath, out var entry))
            {
                differences.Add(new ScanDifference(FolderChangeKind.Added, fullPath, stamp, null));
            }
            else if (entry.Size != stamp.Size || entry.ModifiedTicks != stamp.ModifiedTicks)
            {
                differences.Add(new ScanDifference(FolderChangeKind.Changed, fullPath, stamp, entry));
            }
        }

        foreach (var gone in known.Values)
        {
            differences.Add(new ScanDifference(FolderChangeKind.Removed, gone.FullPath, null, gone));
        }

        return differences;
    }

    public List<ScanDifference> Scan(SharedFileIndex index) => Compare(Enumerate(), index.List());

    /// <summary>True for paths the scanner never shares: anything under a skipped directory or with a skipped name.</summary>
    public bool IsIgnored(string fullPath)
    {
        if (!paths.IsInDataDir(fullPath) || paths.IsInStateDir(fullPath))
        {
            return true;
        }

        string relative = Path.GetRelativePath(paths.DataDir, fullPath);
        return relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => IsSkippedName(part));
    }

    private static bool IsSkippedName(ReadOnlySpan<char> name)
    {
        if (name.StartsWith('.') || name.StartsWith("~$"))
        {
            return true;
        }

        foreach (string suffix in TemporarySuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLink(in FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;
}
