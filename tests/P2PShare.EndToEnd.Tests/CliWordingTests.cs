using System.Text.RegularExpressions;
using P2PShare.Core.Manifests;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>What the peer program says, read the way a user reads it: help text and failure messages.</summary>
public sealed class CliWordingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Help_ListsTheListVerbWithoutARequiredLookingArgument()
    {
        var help = await PipedRun.RunAsync(RepoPaths.Peer, ["--help"], Long, TestContext.Current.CancellationToken);

        Assert.Equal(0, help.ExitCode);
        string listLine = Assert.Single(help.OutLines, l => Regex.IsMatch(l, @"^\s+list\b"));
        Assert.DoesNotContain("<", listLine);
        Assert.Contains("'list TEXT'", listLine);
    }

    [Fact]
    public async Task FailedDownload_ReasonIsPrintedOnce()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(alice.DataDir, "gone.bin", 600_000, seed: 21);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        await alice.Process.WaitForLineAsync("^[0-9a-f]{64}$", Long, cluster.Token);
        string hash = (await ManifestBuilder.BuildAsync(source, cluster.Token)).Hash;

        // Killed, so the tracker still lists her for a while: bob finds the file but never gets a chunk.
        alice.Process.Kill();
        var downloaded = await PipedRun.RunAsync(
            RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("bob"), "download", hash), Long, cluster.Token, new Dictionary<string, string> { ["DOWNLOAD_STALL_TIMEOUT"] = "2" });

        Assert.Equal(1, downloaded.ExitCode);
        string all = downloaded.Out + downloaded.Err;
        Assert.Single(Regex.Matches(all, "no progress on gone.bin"));
        Assert.Contains($"download of gone.bin ({hash}) failed: no progress", all);
    }
}
