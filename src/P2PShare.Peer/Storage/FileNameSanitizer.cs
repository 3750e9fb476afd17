using System.Text;

namespace P2PShare.Peer.Storage;

/// <summary>
/// Turns a file name that came from the network into one safe path component, and finds a free name in a
/// directory. Stateless; every method is a pure function of its arguments (and of the directory listing).
/// </summary>
internal static class FileNameSanitizer
{
    public const int MaxNameBytes = 255;
    public const string Fallback = "download";

    // Longest extension kept whole when a name has to be shortened (".tar.gz" is 3 + 4 characters).
    private const int MaxKeptExtensionBytes = 32;

    private static readonly HashSet<string> ReservedDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    /// <summary>
    /// Returns a single, non-empty path component of at most 255 UTF-8 bytes: path separators split the name and the
    /// parts (minus <c>.</c> and <c>..</c>) are joined with <c>_</c>; control, bidi-override and Windows-invalid
    /// characters become <c>_</c>; leading/trailing dots and spaces are trimmed (so nothing becomes hidden);
    /// Windows device names get a <c>_</c> prefix; an empty result becomes <c>download</c>. Idempotent.
    /// </summary>
    public static string Sanitize(string? networkName)
    {
        string name = ReplaceUnsafeCharacters(networkName ?? string.Empty);
        name = JoinComponents(name);
        name = name.Trim(' ', '.');
        if (name.Length == 0)
        {
            return Fallback;
        }

        if (IsReservedDeviceName(name))
        {
            name = "_" + name;
        }

        return TruncateToBytes(name, MaxNameBytes);
    }

    /// <summary>
    /// <c>directory/name</c> when nothing by that name exists, otherwise the first free <c>name (1).ext</c>,
    /// <c>name (2).ext</c>, … (the number goes before the last extension). <paramref name="name"/> must already be
    /// sanitised. The caller still creates the file without overwriting, since another process may race it.
    /// </summary>
    public static string UniquePath(string directory, string name)
    {
        string candidate = Path.Combine(directory, name);
        if (!Exists(candidate))
        {
            return candidate;
        }

        string extension = Path.GetExtension(name);
        if (Encoding.UTF8.GetByteCount(extension) > MaxKeptExtensionBytes || extension.Length == name.Length)
        {
            extension = string.Empty;
        }

        string stem = name[..^extension.Length];
        for (long n = 1; ; n++)
        {
            string suffix = $" ({n}){extension}";
            int stemBudget = MaxNameBytes - Encoding.UTF8.GetByteCount(suffix);
            candidate = Path.Combine(directory, TruncateToBytes(stem, stemBudget).TrimEnd(' ', '.') + suffix);
            if (!Exists(candidate))
            {
                return candidate;
            }
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || IsDanglingLink(path);

    private static bool IsDanglingLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string ReplaceUnsafeCharacters(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                builder.Append(c).Append(name[++i]);
            }
            else if (char.IsSurrogate(c) || char.IsControl(c) || IsBidiControl(c) || IsWindowsInvalid(c))
            {
                builder.Append('_');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string JoinComponents(string name)
    {
        var parts = name.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.Trim(' ') is not ("." or ".."));
        return string.Join('_', parts);
    }

    private static bool IsBidiControl(char c) =>
        c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static bool IsWindowsInvalid(char c) => c is '<' or '>' or ':' or '"' or '|' or '?' or '*';

    private static bool IsReservedDeviceName(string name)
    {
        int dot = name.IndexOf('.');
        string stem = (dot < 0 ? name : name[..dot]).TrimEnd(' ');
        return ReservedDeviceNames.Contains(stem);
    }

    /// <summary>Cuts to at most <paramref name="maxBytes"/> UTF-8 bytes, keeping a short extension and whole characters.</summary>
    private static string TruncateToBytes(string name, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(name) <= maxBytes)
        {
            return name;
        }

        string extension = Path.GetExtension(name);
        int extensionBytes = Encoding.UTF8.GetByteCount(extension);
        if (extensionBytes > MaxKeptExtensionBytes || extension.Length == name.Length)
        {
            extension = string.Empty;
            extensionBytes = 0;
        }

        string stem = CutRunes(name[..^extension.Length], maxBytes - extensionBytes).TrimEnd(' ', '.');
        return stem.Length == 0 ? CutRunes(name, maxBytes).TrimEnd(' ', '.') : stem + extension;
    }

    private static string CutRunes(string text, int maxBytes)
    {
        var builder = new StringBuilder();
        int bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > maxBytes)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
