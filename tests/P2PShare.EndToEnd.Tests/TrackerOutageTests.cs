using System.Text.RegularExpressions;
using P2PShare.Core.Manifests;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>A tracker killed and started again on the same port while peers download: soft state comes back on its own.</summary>
public sealed class TrackerOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TrackerKilledAndRestartedDuringDownload_DownloadsCompleteAndSeederIsListedAgain()
    {
        await using var cluster = new TestCluster(output);
        int port = Loopback.FreeTcpPort();
        var tracker = await cluster.StartTrackerAsync(port: port);
        string big = TestCluster.WriteRandomFile(cluster.DataDir("alice"), "big.bin", 24L << 20, seed: 11);
        string small = TestCluster.WriteRandomFile(cluster.DataDir("alice"), "small.bin", 1_500_000, seed: 12);
        var alice = await cluster.StartPeerAsync("alice", daemon: true);
        var bob = await cluster.StartPeerAsync("bob", daemon: true, null, "-limit-down", "3MB");
        string bigId = (await ManifestBuilder.BuildAsync(big, cluster.Token)).Hash;
        string smallId = (await ManifestBuilder.BuildAsync(small, cluster.Token)).Hash;
        using (var before = new TrackerProbe(cluster.TrackerUrl))
        {
            await TrackerProbe.EventuallyAsync(
                async () => (await before.FilesAsync(cluster.Token)).Files.Count(f => f.Holders == 1) == 2, Long, "alice to announce both files", cluster.Token);
        }

        using var control = new ControlProbe(bob.DataDir);
        await control.StartDownloadAsync(bigId, cluster.Token);
        await control.WaitForDownloadAsync(bigId, d => ControlProbe.Fraction(d) > 0.05, Long, cluster.Token);

        // Down for longer than a heartbeat interval (2 s in tests), so alice's heartbeats fail and she sees an outage.
        tracker.Kill();
        await alice.Process.WaitForLineAsync("tracker: .*unreachable.*retrying", Long, cluster.Token);
        await bob.Process.WaitForLineAsync("tracker: .*unreachable.*retrying", Long, cluster.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), cluster.Token);
        await cluster.StartTrackerAsync(port: port);

        // The new tracker knows nothing yet: the download waits for alice to come back instead of failing.
        await control.StartDownloadAsync(smallId, cluster.Token);
        using var probe = new TrackerProbe(cluster.TrackerUrl);
        await TrackerProbe.EventuallyAsync(
            async () => (await probe.FilesAsync(cluster.Token)).Files.Any(f => f.Hash == bigId && f.Holders >= 1),
            TimeSpan.FromSeconds(10),
            "alice to register and announce again with the restarted tracker",
            cluster.Token);

        await control.WaitForDownloadAsync(smallId, ControlProbe.IsCompleted, Long, cluster.Token);
        await control.WaitForDownloadAsync(bigId, ControlProbe.IsCompleted, Long, cluster.Token);
        Assert.Equal(File.ReadAllBytes(small), File.ReadAllBytes(Path.Combine(bob.DataDir, "small.bin")));
        Assert.Equal(File.ReadAllBytes(big), File.ReadAllBytes(Path.Combine(bob.DataDir, "big.bin")));

        // One line when the outage starts and one when it ends, not one per retry.
        await alice.Process.WaitForLineAsync("answers again after", Long, cluster.Token);
        Assert.Single(Regex.Matches(alice.Process.Output, "tracker: .*retrying"));
        Assert.True(Regex.Matches(bob.Process.Output, "cannot list holders of " + bigId).Count <= 1, bob.Process.Output);
    }
}
