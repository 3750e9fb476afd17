using P2PShare.Peer.Control;

namespace P2PShare.Peer.Cli;

/// <summary>
/// <c>download -o DIR</c> of a file the node already has complete elsewhere (in DATA_DIR, say): the user asked for
/// the file in DIR, so a copy goes there. The copy is written under a temporary name and renamed, so a file with
/// the final name is always whole.
/// </summary>
internal static class DownloadCopy
{
    /// <summary>Where the file is now: its own path, or the copy in <paramref name="outputDir"/>.</summary>
    public static async Task<string> IntoAsync(DownloadView completed, string? outputDir, CancellationToken ct)
    {
        if (outputDir is null)
        {
            return completed.Path ?? completed.Name;
        }

        string source = completed.Path ?? throw new IOException($"the node did not say where {completed.Name} is, so it cannot be copied to {outputDir}");
        if (string.Equals(Path.GetDirectoryName(Path.GetFullPath(source)), Path.GetFullPath(outputDir).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            return source;
        }

        Directory.CreateDirectory(outputDir);
        string target = Path.Combine(outputDir, Path.GetFileName(source));
        if (File.Exists(target))
        {
            throw new IOException($"{completed.Name} is complete at {source}, and {target} already exists: not overwriting it");
        }

        string temp = target + ".p2pshare-copy";
        await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
        await using (var to = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
        {
            await from.CopyToAsync(to, ct);
        }

        File.Move(temp, target, overwrite: false);
        return target;
    }
}
