using System.Text.RegularExpressions;

namespace P2PShare.Deployment.Tests;

/// <summary>The instructions of a Dockerfile that a deployment depends on.</summary>
internal sealed partial class Dockerfile
{
    public Dockerfile(string relativePath)
    {
        Path = relativePath;
        string joined = RepoFiles.Read(relativePath).Replace("\\\n", " ", StringComparison.Ordinal);
        var lines = joined.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        foreach (string line in lines)
        {
            string[] words = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            string rest = words.Length > 1 ? words[1] : "";
            switch (words[0])
            {
                case "ENV":
                    foreach (string pair in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        string[] kv = pair.Split('=', 2);
                        Env[kv[0]] = kv.Length > 1 ? kv[1] : "";
                    }

                    break;
                case "EXPOSE":
                    Expose.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "VOLUME":
                    Volumes.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "USER":
                    User = rest;
                    break;
                case "HEALTHCHECK":
                    Healthcheck = rest;
                    break;
                case "FROM":
                    From.Add(rest);
                    break;
                case "ARG":
                    Args.Add(rest);
                    break;
            }
        }
    }

    public string Path { get; }

    public Dictionary<string, string> Env { get; } = [];

    public List<string> Expose { get; } = [];

    public List<string> Volumes { get; } = [];

    public List<string> From { get; } = [];

    public List<string> Args { get; } = [];

    public string? User { get; private set; }

    public string? Healthcheck { get; private set; }

    /// <summary>Variables the health check command reads (<c>${NAME}</c>, <c>${NAME:-}</c>, <c>${NAME##*:}</c>).</summary>
    public IEnumerable<string> HealthcheckVariables =>
        Healthcheck is null ? [] : ShellVariable().Matches(Healthcheck).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\{([A-Z_][A-Z0-9_]*)")]
    private static partial Regex ShellVariable();
}
