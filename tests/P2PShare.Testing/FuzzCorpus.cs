namespace P2PShare.Testing;

/// <summary>
/// Seed inputs kept in the repository next to a fuzz test (copied to the test's output folder), replayed by every
/// run before its random inputs, so an input that once broke a reader, or sits on a known edge, is tried every time.
/// One entry per line: a name without spaces, then the input; lines starting with '#' and blank lines are skipped.
/// </summary>
public static class FuzzCorpus
{
    /// <summary>Entries whose input is bytes in hex ("-" for no bytes).</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> ReadHex(string relativePath) =>
        [.. Entries(relativePath).Select(e => (e.Name, e.Input == "-" ? [] : Convert.FromHexString(e.Input)))];

    /// <summary>Entries whose input is text: the rest of the line after the name.</summary>
    public static IReadOnlyList<(string Name, string Text)> ReadText(string relativePath) => Entries(relativePath);

    /// <summary>Runs <paramref name="check"/> on every entry; a failure names the entry it failed on.</summary>
    public static void ForEach<T>(IEnumerable<(string Name, T Input)> entries, Action<T> check)
    {
        foreach (var (name, input) in entries)
        {
            try
            {
                check(input);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"fuzz corpus entry '{name}' failed: {e.Message}", e);
            }
        }
    }

    private static List<(string Name, string Input)> Entries(string relativePath)
    {
        var entries = new List<(string, string)>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, relativePath)))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                throw new FormatException($"{relativePath}: '{line}' has no name and input");
            }

            entries.Add((line[..space], line[(space + 1)..]));
        }

        return entries.Count > 0 ? entries : throw new FormatException($"{relativePath} holds no entries");
    }
}
