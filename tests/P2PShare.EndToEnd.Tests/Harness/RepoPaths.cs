namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>Finds the repository root and the binaries <c>make build</c> put in bin/.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Tracker => Binary("tracker");

    public static string Peer => Binary("peer");

    private static string Binary(string name)
    {
        string path = Path.Combine(Root, "bin", name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run 'make build' first");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2PShare.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (P2PShare.slnx) above " + AppContext.BaseDirectory);
    }
}
