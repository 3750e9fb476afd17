namespace P2PShare.Deployment.Tests;

/// <summary>Files of the repository these tests run in, found by walking up to P2PShare.slnx.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The text of every C# file under <paramref name="relativeDir"/>.</summary>
    public static IEnumerable<string> CSharpSources(string relativeDir) =>
        Directory.EnumerateFiles(PathOf(relativeDir), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2PShare.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("P2PShare.slnx not found above " + AppContext.BaseDirectory);
    }
}
