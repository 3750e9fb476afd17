using System.Text.Json.Nodes;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>Issue 6: many holders at once, failing holders, crash-safe resume, pause and bandwidth limits, with real processes.</summary>
public sealed class SwarmTests(ITestOutputHelper output)
{
    private const int Chunk = 256 * 1024;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    private async Task<(TestCluster Cluster, List<PeerProcess> Seeders, FileManifest Manifest, string Source)> SwarmAsync(
        int seeders, long size, string limitUp)
    {
        var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "swarm.bin", size, seed: 42);
        var manifest = await ManifestBuilder.BuildAsync(source, cluster.Token);
        var started = new List<PeerProcess>();
        for (int i = 0; i < seeders; i++)
        {
            var seeder = await cluster.StartPeerAsync($"seeder{i}", false, null, "-limit-up", limitUp);
            File.Copy(source, Path.Combine(seeder.DataDir, "swarm.bin"));
            await seeder.Process.Input.WriteLineAsync($"share {Path.Combine(seeder.DataDir, "swarm.bin")}");
            await seeder.Process.WaitForLineAsync($"^{manifest.Hash}$", Long, cluster.Token);
            started.Add(seeder);
        }

        return (cluster, started, manifest, source);
    }

    [Fact]
    public async Task OneFastSeeder_EveryChunkReceivedOnce()
    {
        var (cluster, _, manifest, source) = await SwarmAsync(1, 80L * Chunk, "1GB");
        await using var _ = cluster;
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);

        var done = await control.DownloadToCompletionAsync(manifest.Hash, Long, cluster.Token);

        // The last chunks are hashed and written while the pipeline is already empty: none may be asked for again.
        Assert.Equal(manifest.Size, ControlProbe.BytesFromPeers(done).Values.Sum());
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "swarm.bin")));
    }

    [Fact]
    public async Task ThreeSeeders_OneDownloader_DataComesFromAtLeastTwo()
    {
        var (cluster, _, manifest, source) = await SwarmAsync(3, 48L * Chunk, "4MB");
        await using var _ = cluster;
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);

        var done = await control.DownloadToCompletionAsync(manifest.Hash, Long, cluster.Token);

        var sources = ControlProbe.BytesFromPeers(done);
        Assert.True(sources.Count(s => s.Value > 0) >= 2, $"data came from {sources.Count} holders: {done.ToJsonString()}");
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "swarm.bin")));
    }

    [Fact]
    public async Task Downloader_IsListedAsPartialHolderBeforeItHasAChunk()
    {
        // 100 KB/s: the first 256 KiB chunk takes over two seconds, so the listing seen first is the start announce.
        var (cluster, _, manifest, source) = await SwarmAsync(1, 3L * Chunk, "100KB");
        await using var _ = cluster;
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);
        using var tracker = new TrackerProbe(cluster.TrackerUrl);

        await control.StartDownloadAsync(manifest.Hash, cluster.Token);
        FilePeer? listed = null;
        await TrackerProbe.EventuallyAsync(
            async () => (listed = (await tracker.HoldersAsync(manifest.Hash, cluster.Token)).Peers.FirstOrDefault(p => p.PeerId == bob.PeerId)) is not null,
            Long,
            "the downloader listed as a holder",
            cluster.Token);

        Assert.False(listed!.Complete);
        Assert.Equal(0, listed.VerifiedChunks);
        await control.WaitForDownloadAsync(manifest.Hash, ControlProbe.IsCompleted, Long, cluster.Token);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "swarm.bin")));
    }

    [Fact]
    public async Task SeederKilledMidDownload_DownloadStillCompletes()
    {
        var (cluster, seeders, manifest, source) = await SwarmAsync(3, 64L * Chunk, "3MB");
        await using var _ = cluster;
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);

        await control.StartDownloadAsync(manifest.Hash, cluster.Token);
        await control.WaitForDownloadAsync(manifest.Hash, d => ControlProbe.Fraction(d) >= 0.25, Long, cluster.Token);
        seeders[0].Process.Kill();
        await control.WaitForDownloadAsync(manifest.Hash, ControlProbe.IsCompleted, Long, cluster.Token);

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "swarm.bin")));
    }

    [Fact]
    public async Task SeederWithCorruptedFile_IsDroppedAndFileCompletesFromOthers()
    {
        var (cluster, seeders, manifest, source) = await SwarmAsync(3, 48L * Chunk, "4MB");
        await using var _ = cluster;
        string corrupted = Path.Combine(seeders[0].DataDir, "swarm.bin");
        var stamp = File.GetLastWriteTimeUtc(corrupted);
        using (var file = new FileStream(corrupted, FileMode.Open, FileAccess.Write))
        {
            var garbage = new byte[Chunk];
            new Random(7).NextBytes(garbage);
            for (long offset = 0; offset < file.Length; offset += Chunk)
            {
                file.Position = offset;
                file.Write(garbage, 0, 64);
            }
        }

        File.SetLastWriteTimeUtc(corrupted, stamp);
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);

        await control.DownloadToCompletionAsync(manifest.Hash, Long, cluster.Token);

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "swarm.bin")));
        await bob.Process.WaitForLineAsync($"dropping holder {seeders[0].PeerId}: sent 2 chunks that failed verification", TimeSpan.FromSeconds(5), cluster.Token);
    }

    [Fact]
    public async Task DownloaderKilledAtHalf_ResumesWithoutRefetchingVerifiedChunks()
    {
        const long size = 256L * Chunk;
        var (cluster, _, manifest, source) = await SwarmAsync(1, size, "8MB");
        await using var _ = cluster;
        var bob = await cluster.StartPeerAsync("bob");
        using (var control = new ControlProbe(bob.DataDir))
        {
            await control.StartDownloadAsync(manifest.Hash, cluster.Token);
        }

        JsonNode half;
        using (var control = new ControlProbe(bob.DataDir))
        {
            half = await control.WaitForDownloadAsync(manifest.Hash, d => ControlProbe.Fraction(d) >= 0.5, Long, cluster.Token);
        }

        bob.Process.Kill();
        long verifiedBeforeKill = half["bytes_done"]!.GetValue<long>();

        var restarted = await cluster.StartPeerAsync("bob");
        using var again = new ControlProbe(restarted.DataDir);
        var done = await again.WaitForDownloadAsync(manifest.Hash, ControlProbe.IsCompleted, Long, cluster.Token);

        long refetched = ControlProbe.BytesFromPeers(done).Values.Sum();
        const long inFlightAllowance = (32 + 16) * Chunk;
        Assert.True(refetched <= size - verifiedBeforeKill + inFlightAllowance, $"received {refetched} bytes after restart; {verifiedBeforeKill} of {size} were verified before the kill");
        Assert.True(refetched < size, "the restarted download fetched the whole file again");
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(restarted.DataDir, "swarm.bin")));
    }

    [Fact]
    public async Task PauseThenResume_ThroughOneShotVerbs_Completes()
    {
        var (cluster, _, manifest, source) = await SwarmAsync(1, 64L * Chunk, "4MB");
        await using var _ = cluster;
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);
        await control.StartDownloadAsync(manifest.Hash, cluster.Token);
        await control.WaitForDownloadAsync(manifest.Hash, d => ControlProbe.Fraction(d) > 0.1, Long, cluster.Token);

        var paused = await cluster.RunPeerAsync("bob", Long, null, "pause", manifest.Hash);
        Assert.True(paused.ExitCode == 0, paused.Output);
        var state = await control.DownloadAsync(manifest.Hash, cluster.Token);
        Assert.Equal("paused", state["state"]!.GetValue<string>());
        Assert.Equal(0, (await control.GetAsync("status", cluster.Token))["active_downloads"]!.GetValue<int>());

        var resumed = await cluster.RunPeerAsync("bob", Long, null, "resume", manifest.Hash);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        await control.WaitForDownloadAsync(manifest.Hash, ControlProbe.IsCompleted, Long, cluster.Token);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "swarm.bin")));
    }

    [Fact]
    public async Task ThrottledSeeder_NeverExceedsItsUploadLimitByMoreThanTenPercent()
    {
        const long limit = 4_000_000;
        var (cluster, seeders, manifest, source) = await SwarmAsync(1, 160L * Chunk, "4MB");
        await using var _ = cluster;
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);
        using var seederControl = new ControlProbe(seeders[0].DataDir);
        long upBefore = (await seederControl.GetAsync("status", cluster.Token))["bytes_up"]!.GetValue<long>();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await control.DownloadToCompletionAsync(manifest.Hash, Long, cluster.Token);
        double seconds = clock.Elapsed.TotalSeconds;
        long sent = (await seederControl.GetAsync("status", cluster.Token))["bytes_up"]!.GetValue<long>() - upBefore;

        Assert.True(sent >= manifest.Size, $"the seeder sent {sent} bytes for a {manifest.Size}-byte file");
        Assert.True(sent / seconds <= limit * 1.10, $"{sent} bytes in {seconds:0.00} s is {sent / seconds / 1e6:0.00} MB/s, over the 4 MB/s limit + 10%");
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "swarm.bin")));
    }
}
