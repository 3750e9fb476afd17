using P2PShare.Core.Manifests;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>Issue 5's journeys with real bin/tracker and bin/peer processes on 127.0.0.1.</summary>
public sealed class PeerJourneyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task OneShotVerbs_ShareListDownload_FileIsByteIdentical()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "movie.bin", (5 * 1024 * 1024) + 12_345, seed: 1);

        var shared = await cluster.RunPeerAsync("alice", Long, null, "share", source);
        Assert.Equal(0, shared.ExitCode);
        string hash = shared.Output.Split('\n').Single(l => l.Length == 64 && l.All(char.IsAsciiHexDigitLower));
        Assert.Equal((await ManifestBuilder.BuildAsync(source, cluster.Token)).Hash, hash);

        var listed = await cluster.RunPeerAsync("bob", Long, null, "list");
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("movie.bin", listed.Output);

        var downloaded = await cluster.RunPeerAsync("bob", Long, null, "download", hash);
        Assert.True(downloaded.ExitCode == 0, downloaded.Output);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(cluster.DataDir("bob"), "movie.bin")));
        Assert.False(alice.Process.HasExited);
    }

    [Fact]
    public async Task InteractiveShell_DrivenThroughStdin_SharesDownloadsAndQuits()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        var bob = await cluster.StartPeerAsync("bob");
        string source = TestCluster.WriteRandomFile(alice.DataDir, "shell.bin", 1_000_000, seed: 2);

        await alice.Process.Input.WriteLineAsync($"share {source}");
        string hash = (await alice.Process.WaitForLineAsync("^([0-9a-f]{64})$", Long, cluster.Token)).Groups[1].Value;
        await alice.Process.Input.WriteLineAsync("bogus command");
        await alice.Process.WaitForLineAsync("unknown command 'bogus'", Long, cluster.Token);

        await bob.Process.Input.WriteLineAsync("list");
        await bob.Process.WaitForLineAsync("shell.bin", Long, cluster.Token);
        await bob.Process.Input.WriteLineAsync($"download {hash}");
        await bob.Process.WaitForLineAsync("done: .*shell.bin", Long, cluster.Token);
        await bob.Process.Input.WriteLineAsync("status");
        await bob.Process.WaitForLineAsync("shared files", Long, cluster.Token);
        await bob.Process.Input.WriteLineAsync("peers");
        await bob.Process.Input.WriteLineAsync("quit");

        Assert.Equal(0, await bob.Process.WaitForExitAsync(Long, cluster.Token));
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "shell.bin")));
    }

    [Fact]
    public async Task Daemon_FileDroppedIntoDataDir_IsSharedAndDownloadable()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice", daemon: true);
        using var probe = new TrackerProbe(cluster.TrackerUrl);

        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "dropped.bin", 700_000, seed: 3);
        File.Copy(source, Path.Combine(alice.DataDir, "dropped.bin"));
        await TrackerProbe.EventuallyAsync(
            async () => (await probe.FilesAsync(cluster.Token)).Files.Any(f => f.Name == "dropped.bin"), Long, "the daemon to announce dropped.bin", cluster.Token);

        string hash = (await ManifestBuilder.BuildAsync(source, cluster.Token)).Hash;
        var downloaded = await cluster.RunPeerAsync("bob", Long, null, "download", hash);
        Assert.True(downloaded.ExitCode == 0, downloaded.Output);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(cluster.DataDir("bob"), "dropped.bin")));
    }

    [Fact]
    public async Task TrackerRestart_PeerReappearsWithItsFiles()
    {
        await using var cluster = new TestCluster(output);
        int port = Loopback.FreeTcpPort();
        var tracker = await cluster.StartTrackerAsync(port: port);
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(alice.DataDir, "survivor.bin", 300_000, seed: 4);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        await alice.Process.WaitForLineAsync("^[0-9a-f]{64}$", Long, cluster.Token);

        await tracker.StopAsync(TimeSpan.FromSeconds(10));
        await cluster.StartTrackerAsync(port: port);
        using var probe = new TrackerProbe(cluster.TrackerUrl);

        await TrackerProbe.EventuallyAsync(
            async () => (await probe.FilesAsync(cluster.Token)).Files.Any(f => f.Name == "survivor.bin" && f.Holders == 1),
            TimeSpan.FromSeconds(15),
            "alice to re-register and re-announce after the tracker restart",
            cluster.Token);
    }

    [Theory]
    [InlineData("LIMIT_UP", "bogus", "invalid value 'bogus' for LIMIT_UP: expected a rate")]
    [InlineData("BANDWIDTH_LIMIT", "fast", "invalid value 'fast' for BANDWIDTH_LIMIT: expected a rate")]
    [InlineData("PEER_LISTEN", "localhost", "PEER_LISTEN")]
    [InlineData("DOWNLOAD_STALL_TIMEOUT", "soon", "DOWNLOAD_STALL_TIMEOUT")]
    [InlineData("MAX_PEERS", "0", "invalid value '0' for MAX_PEERS: expected a whole number from 1 to 1024")]
    [InlineData("MAX_LINKS", "many", "invalid value 'many' for MAX_LINKS: expected a whole number from 1 to 65536")]
    public async Task BadSetting_EndsWithOneClearLineAndNoStackTrace(string variable, string value, string expected)
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();

        var result = await cluster.RunPeerAsync("bob", Long, new Dictionary<string, string> { [variable] = value }, "status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task Download_UnknownHash_ExitsNonZeroWithClearMessage()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();

        var result = await cluster.RunPeerAsync("bob", Long, null, "download", new string('a', 64));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no file with ID", result.Output);
    }

    [Fact]
    public async Task Download_HolderWithWrongStaticKey_IsRefusedAndFileComesFromHonestPeer()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(alice.DataDir, "keyed.bin", 2_000_000, seed: 5);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        await alice.Process.WaitForLineAsync("^[0-9a-f]{64}$", Long, cluster.Token);
        using var probe = new TrackerProbe(cluster.TrackerUrl);
        var manifest = await ManifestBuilder.BuildAsync(source, cluster.Token);
        string impostor = await probe.RegisterImpostorAsync(alice.Port, manifest, cluster.Token);

        var result = await cluster.RunPeerAsync("bob", Long, null, "download", manifest.Hash);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches($"cannot reach holder {impostor} .*(key|authenticat)", result.Output);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(cluster.DataDir("bob"), "keyed.bin")));
    }

    [Fact]
    public async Task Download_ManifestNamedWithPathTraversal_LandsAsSafeNameInsideDataDir()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        using var probe = new TrackerProbe(cluster.TrackerUrl);
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "innocent.bin", 400_000, seed: 6);
        var evil = (await ManifestBuilder.BuildAsync(source, cluster.Token)) with { Name = "../../escaped.bin" };
        await probe.RegisterImpostorAsync(1, evil, cluster.Token);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        await alice.Process.WaitForLineAsync("^[0-9a-f]{64}$", Long, cluster.Token);

        var result = await cluster.RunPeerAsync("bob", Long, null, "download", evil.Hash);

        Assert.True(result.ExitCode == 0, result.Output);
        string bobDir = cluster.DataDir("bob");
        Assert.False(File.Exists(Path.Combine(bobDir, "..", "..", "escaped.bin")));
        Assert.False(File.Exists(Path.Combine(cluster.Root, "escaped.bin")));
        var landed = Directory.GetFiles(bobDir).Single(f => File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(source)));
        Assert.DoesNotContain("..", Path.GetFileName(landed));
    }
}
