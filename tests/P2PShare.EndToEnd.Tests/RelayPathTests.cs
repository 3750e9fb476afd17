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
    }

    private static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
