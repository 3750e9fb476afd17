using System.Diagnostics;

namespace P2PShare.Deployment.Tests;

/// <summary>Renders k8s/ with <c>kubectl kustomize</c> (Debian's kubernetes-client), when kubectl is installed.</summary>
internal static class Kustomize
{
    public static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);

    /// <summary>The rendered manifests, or null with the reason when kubectl is missing.</summary>
    public static string? Render(out string? skipReason)
    {
        string? kubectl = FindKubectl();
        if (kubectl is null)
        {
            skipReason = "kubectl is not installed (scripts/install-test-deps.sh installs Debian's kubernetes-client)";
            return null;
        }

        skipReason = null;
        var start = new ProcessStartInfo(kubectl, ["kustomize", RepoFiles.PathOf("k8s")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException("kubectl kustomize k8s/ did not finish");
        }

        Assert.True(process.ExitCode == 0, $"kubectl kustomize k8s/ failed: {stderr.Result}");
        return stdout.Result;
    }
}
