using System.Text.RegularExpressions;

namespace P2PShare.Deployment.Tests;

/// <summary>
/// What each program can be configured with, read from its own source and the README, so that names added to the
/// code later are picked up without changing these tests.
/// </summary>
internal sealed partial class ProgramSettings
{
    /// <summary>The seed's variables: every deployment must be able to set them.</summary>
    public static readonly ProgramSettings Tracker = new("tracker", "src/P2PShare.Tracker", ["TRACKER_ADDR", "API_KEYS"]);

    public static readonly ProgramSettings Peer = new("peer", "src/P2PShare.Peer", ["PEER_PORT", "DATA_DIR", "BANDWIDTH_LIMIT", "TRACKER_URL"]);

    private readonly HashSet<string> _codeLiterals;
    private readonly string _readme;

    private ProgramSettings(string name, string sourceDir, string[] seedVariables)
    {
        Name = name;
        SeedVariables = seedVariables;
        _codeLiterals = [.. RepoFiles.CSharpSources(sourceDir).SelectMany(text => StringLiteral().Matches(text).Select(m => m.Groups[1].Value))];
        _readme = RepoFiles.Read("README.md");
    }

    public string Name { get; }

    public IReadOnlyList<string> SeedVariables { get; }

    /// <summary>Settings of the .NET runtime itself, not of the program.</summary>
    public static bool IsRuntimeVariable(string name) =>
        name is "TMPDIR" || name.StartsWith("DOTNET_", StringComparison.Ordinal) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal);

    /// <summary>True when the program reads <paramref name="variable"/>: its name is a string in the program's code.</summary>
    public bool ReadsVariable(string variable) =>
        _codeLiterals.Contains(variable);

    /// <summary>True when the README documents <paramref name="variable"/> (its configuration tables quote names as code).</summary>
    public bool DocumentsVariable(string variable) =>
        _readme.Contains($"`{variable}`", StringComparison.Ordinal);

    /// <summary>True when the program's code names the HTTP path <paramref name="path"/> (a route or a path check).</summary>
    public bool KnowsPath(string path) => _codeLiterals.Contains(path);

    [GeneratedRegex("\"([A-Z][A-Z0-9_]{2,}|/[a-z][a-z0-9/_-]*)\"")]
    private static partial Regex StringLiteral();
}
