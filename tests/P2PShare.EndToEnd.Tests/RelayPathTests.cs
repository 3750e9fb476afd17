using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using P2PShare.Core.Manifests;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>Issue 13: a holder whose advertised address does not answer is still reached, through the tracker's relay.</summary>
public sealed class RelayPathTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SeederAdvertisesAPortNothingListensOn_DownloadCompletesOverTheRelay()
    {
        await using var cluster = new TestCluster(output);
        // Without the UDP rendezvous nobody can be punched to, so the relay is the path left after direct TCP.
        await cluster.StartTrackerAsync(new Dictionary<string, string> { ["TRACKER_UDP_ADDR"] = "off" });
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "relayed.bin", (3L * 256 * 1024) + 1234, seed: 13);
        var manifest = await ManifestBuilder.BuildAsync(source, cluster.Token);
        var seeder = await cluster.StartPeerAsync("seeder", false, null, "-advertise-port", UnusedPort().ToString());
        File.Copy(source, Path.Combine(seeder.DataDir, "relayed.bin"));
        await seeder.Process.Input.WriteLineAsync($"share {Path.Combine(seeder.DataDir, "relayed.bin")}");
        await seeder.Process.WaitForLineAsync($"^{manifest.Hash}$", Long, cluster.Token);
        var bob = await cluster.StartPeerAsync("bob");
        using var control = new ControlProbe(bob.DataDir);

        await control.DownloadToCompletionAsync(manifest.Hash, Long, cluster.Token);

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "relayed.bin")));
        var peers = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob.DataDir, "peers", "--json"), Long, cluster.Token);
        var toSeeder = JsonNode.Parse(peers.Out)!["peers"]!.AsArray().Single(p => (string?)p!["peer_id"] == seeder.PeerId)!;
        Assert.Equal("relay", (string?)toSeeder["path"]);
        Assert.True(toSeeder["rtt_ms"] is not null, peers.Out);

        var status = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob.DataDir, "status", "--json"), Long, cluster.Token);
        var statusLink = JsonNode.Parse(status.Out)!["connections"]!.AsArray().Single(p => (string?)p!["peer_id"] == seeder.PeerId)!;
        Assert.Equal("relay", (string?)statusLink["path"]);
        Assert.True(statusLink["rtt_ms"] is not null, status.Out);
        var table = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob.DataDir, "status"), Long, cluster.Token);
        Assert.Contains(table.OutLines, line => line.StartsWith($"{seeder.PeerId}\t", StringComparison.Ordinal) && line.Split('\t')[2] == "relay");
    }

    [Fact]
    public async Task TrackerRestarted_SeedersRelayControlSocketDrops_ItRegistersAgainAtOnceAndIsReachedOverTheRelay()
    {
        await using var cluster = new TestCluster(output);
        int port = Loopback.FreeTcpPort();

        // Heartbeats an hour apart: only the dropped relay control socket can tell the seeder that the tracker came
        // back without it, so the seeder is listed again in time only if losing that socket makes it register.
        // No rendezvous: on loopback a hole punch would get through before the relay is tried.
        var hourlyHeartbeats = new Dictionary<string, string> { ["HEARTBEAT_INTERVAL"] = "3600", ["TRACKER_UDP_ADDR"] = "off" };
        var tracker = await cluster.StartTrackerAsync(hourlyHeartbeats, port);
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "after-restart.bin", (2L * 256 * 1024) + 77, seed: 31);
        var manifest = await ManifestBuilder.BuildAsync(source, cluster.Token);
        var seeder = await cluster.StartPeerAsync("seeder", false, null, "-advertise-port", UnusedPort().ToString());
        File.Copy(source, Path.Combine(seeder.DataDir, "after-restart.bin"));
        await seeder.Process.Input.WriteLineAsync($"share {Path.Combine(seeder.DataDir, "after-restart.bin")}");
        await seeder.Process.WaitForLineAsync($"^{manifest.Hash}$", Long, cluster.Token);
        await TrackerProbe.EventuallyAsync(async () => await ControlSocketsAsync(cluster) == 1, Long, "the seeder's relay control socket", cluster.Token);

        tracker.Kill();
        await cluster.StartTrackerAsync(hourlyHeartbeats, port);

        using var probe = new TrackerProbe(cluster.TrackerUrl);
        await TrackerProbe.EventuallyAsync(
            async () => (await probe.FilesAsync(cluster.Token)).Files.Any(f => f.Hash == manifest.Hash && f.Holders == 1),
            TimeSpan.FromSeconds(30),
            "the seeder to register and announce again after its relay control socket dropped",
            cluster.Token);
        await TrackerProbe.EventuallyAsync(async () => await ControlSocketsAsync(cluster) == 1, TimeSpan.FromSeconds(30), "the seeder's relay control socket to reopen", cluster.Token);
        var bob = await cluster.StartPeerAsync("bob", false, hourlyHeartbeats);
        using var control = new ControlProbe(bob.DataDir);
        await control.DownloadToCompletionAsync(manifest.Hash, Long, cluster.Token);

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(bob.DataDir, "after-restart.bin")));
        var peers = await PipedRun.RunAsync(RepoPaths.Peer, PipedRun.PeerArgs(cluster, bob.DataDir, "peers", "--json"), Long, cluster.Token);
        var toSeeder = JsonNode.Parse(peers.Out)!["peers"]!.AsArray().Single(p => (string?)p!["peer_id"] == seeder.PeerId)!;
        Assert.Equal("relay", (string?)toSeeder["path"]);
    }

    /// <summary>The tracker's gauge of open relay control sockets.</summary>
    private static async Task<int> ControlSocketsAsync(TestCluster cluster)
    {
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync($"{cluster.TrackerUrl}/metrics", cluster.Token);
        string? line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("tracker_relay_control_sockets ", StringComparison.Ordinal));
        return line is null ? 0 : (int)double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
