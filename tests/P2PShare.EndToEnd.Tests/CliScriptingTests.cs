using System.Text.Json.Nodes;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>The one-shot verbs as scripts use them: through pipes, with --json, with more files than one page.</summary>
public sealed class CliScriptingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PipedOutput_LongNamesNarrowWidth_RowsNeverWrapNorCarryPadding_AndJsonParses()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        string longName = new string('x', 150) + ".bin";
        string source = TestCluster.WriteRandomFile(alice.DataDir, longName, 300_000, seed: 11);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        string hash = (await alice.Process.WaitForLineAsync("^([0-9a-f]{64})$", Long, cluster.Token)).Groups[1].Value;

        var list = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("bob"), "list"), Long, cluster.Token);
        Assert.True(list.ExitCode == 0, list.Err);
        Assert.Equal(["hash\tname\tsize\tchunks\tholders\tseeders", $"{hash}\t{longName}\t293.0 KiB\t2\t1\t1"], list.OutLines);

        var status = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, alice.DataDir, "status"), Long, cluster.Token);
        Assert.True(status.ExitCode == 0, status.Err);
        Assert.Contains($"peer id\t{alice.PeerId}", status.OutLines);
        Assert.All(status.OutLines, line => Assert.Equal(line.TrimEnd(), line));
        Assert.All(status.OutLines, line => Assert.Contains('\t', line));

        var listJson = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("bob"), "list", "--json"), Long, cluster.Token);
        var files = JsonNode.Parse(listJson.Out)!;
        Assert.Equal(1, files["total"]!.GetValue<int>());
        Assert.Equal(longName, files["files"]![0]!["name"]!.GetValue<string>());

        var statusJson = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, alice.DataDir, "status", "--json"), Long, cluster.Token);
        var node = JsonNode.Parse(statusJson.Out)!;
        Assert.Equal(alice.PeerId, node["node"]!["peer_id"]!.GetValue<string>());
        Assert.NotNull(node["downloads"]!.AsArray());

        var peersJson = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, alice.DataDir, "peers", "--json"), Long, cluster.Token);
        Assert.NotNull(JsonNode.Parse(peersJson.Out)!["peers"]!.AsArray());

        var nomatch = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("bob"), "list", "nomatch"), Long, cluster.Token);
        Assert.Contains("no file on the network has a name containing 'nomatch'", nomatch.Out);
    }

    [Fact]
    public async Task List_MoreFilesThanOnePage_SaysHowManyAreHidden_AllAndLimitShowThem()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        string aliceDir = cluster.DataDir("alice");
        for (int i = 0; i < 520; i++)
        {
            File.WriteAllText(Path.Combine(aliceDir, $"f{i:000}.txt"), $"file {i}");
        }

        await cluster.StartPeerAsync("alice", daemon: true);
        using var probe = new TrackerProbe(cluster.TrackerUrl);
        await TrackerProbe.EventuallyAsync(async () => (await probe.FilesAsync(cluster.Token)).Total == 520, Long, "520 files announced", cluster.Token);
        string bob = cluster.DataDir("bob");

        var first = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob, "list"), Long, cluster.Token);
        Assert.Equal(501, first.OutLines.Length);
        Assert.Contains("20 more files not shown (520 in all)", first.Err);
        Assert.Contains("--all", first.Err);

        var all = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob, "list", "--all"), Long, cluster.Token);
        Assert.Equal(521, all.OutLines.Length);
        Assert.Equal(520, all.OutLines.Skip(1).Select(l => l.Split('\t')[0]).Distinct().Count());
        Assert.DoesNotContain("not shown", all.Err);

        var three = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob, "list", "--limit", "3"), Long, cluster.Token);
        Assert.Equal(4, three.OutLines.Length);
        Assert.Contains("517 more files not shown", three.Err);

        var json = JsonNode.Parse((await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob, "list", "--all", "--json"), Long, cluster.Token)).Out)!;
        Assert.Equal(520, json["files"]!.AsArray().Count);
        Assert.Equal(520, json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Download_ToPipe_PrintsProgressEveryFewSeconds_JsonLinesEndCompleted_CopyAndPauseAreClear()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(alice.DataDir, "slow.bin", 10L << 20, seed: 12);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        string hash = (await alice.Process.WaitForLineAsync("^([0-9a-f]{64})$", Long, cluster.Token)).Groups[1].Value;
        var throttled = new Dictionary<string, string> { ["LIMIT_DOWN"] = "2MB" };

        var plain = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("bob"), "download", hash), Long, cluster.Token, throttled);
        Assert.True(plain.ExitCode == 0, plain.Err);
        var progress = plain.OutLines.Where(l => l.StartsWith("slow.bin: ", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 3, plain.Out);
        Assert.Contains(progress, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^slow\.bin: \d+\.\d% \(\d+\.\d MiB of 10\.0 MiB, \d+\.\d [KM]iB/s, 1 peer, ETA \d+:\d\d\)$"));
        Assert.DoesNotContain(plain.OutLines, l => l.Contains("0 peers, active", StringComparison.Ordinal) || l.Contains("1 peers", StringComparison.Ordinal));
        Assert.Matches(@"^done: .*slow\.bin", plain.OutLines[^1]);

        var json = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("carol"), "download", hash, "--json"), Long, cluster.Token, throttled);
        Assert.True(json.ExitCode == 0, json.Err);
        var lines = json.OutLines.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.True(lines.Count >= 3, json.Out);
        Assert.Equal("completed", lines[^1]["state"]!.GetValue<string>());
        Assert.Equal(10L << 20, lines[^1]["bytes_done"]!.GetValue<long>());
        Assert.All(lines[..^1], l => Assert.Equal("active", l["state"]!.GetValue<string>()));

        // Already complete in bob's data dir: -o asks for a copy elsewhere, and gets one.
        string elsewhere = Path.Combine(cluster.Root, "elsewhere");
        var copy = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("bob"), "download", hash, "-o", elsewhere), Long, cluster.Token);
        Assert.True(copy.ExitCode == 0, copy.Err);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(elsewhere, "slow.bin")));

        var intoFile = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, cluster.DataDir("bob"), "download", hash, "-o", source), Long, cluster.Token);
        Assert.Equal(2, intoFile.ExitCode);
        Assert.Contains($"{source} is a file; -o takes the directory", intoFile.Err);

        // Pausing a finished download changes nothing and says so.
        var dave = await cluster.StartPeerAsync("dave");
        using (var control = new ControlProbe(dave.DataDir))
        {
            await control.DownloadToCompletionAsync(hash, Long, cluster.Token);
            var pause = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, dave.DataDir, "pause", hash), Long, cluster.Token);
            Assert.True(pause.ExitCode == 0, pause.Err);
            Assert.Equal("slow.bin: already complete, nothing to pause", pause.Out.Trim());
            Assert.True(ControlProbe.IsCompleted(await control.DownloadAsync(hash, cluster.Token)));
        }
    }

    [Theory]
    [InlineData("-port", "abc", "invalid value 'abc' for -port: expected a whole number from 0 to 65535")]
    [InlineData("-port", "70000", "invalid value '70000' for -port: expected a whole number from 0 to 65535")]
    [InlineData("-max-peers", "0", "invalid value '0' for -max-peers: expected a whole number from 1 to 1024")]
    [InlineData("-max-links", "0", "invalid value '0' for -max-links: expected a whole number from 1 to 65536")]
    [InlineData("-limit-down", "fast", "invalid value 'fast' for -limit-down: expected a rate")]
    [InlineData("-tracker", "ftp://x", "invalid value 'ftp://x' for -tracker: expected an http:// or https:// URL")]
    public async Task PeerFlag_BadValue_Exit2AndOneLineNamingFlagAndForm(string flag, string value, string expected)
    {
        var result = await PipedRun.RunAsync(RepoPaths.Peer, ["status", flag, value, "-data", Path.GetTempPath()], Long, TestContext.Current.CancellationToken);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Err);
        Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task PeerPortInUse_OneLineNamingAddressAndPort_Exit2()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        busy.Start();
        int port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        string file = TestCluster.WriteRandomFile(cluster.DataDir("input"), "a.bin", 1000, seed: 13);

        var result = await PipedRun.RunAsync(
            RepoPaths.Peer, ["share", file, "-data", cluster.DataDir("bob"), "-tracker", cluster.TrackerUrl, "-port", port.ToString(), "-api-addr", "127.0.0.1:0"], Long, cluster.Token);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"0.0.0.0:{port}", result.Err);
        Assert.Contains("already in use", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }
}
