using System.Text.Json.Nodes;
using P2PShare.Core.Manifests;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>
/// The DHT keeps a network working without its tracker: real tracker and peer processes on loopback, the tracker
/// killed, and a new peer that knows only one DHT node finds the holders, the manifest and the file.
/// </summary>
public sealed class DhtTrackerDownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task With_the_tracker_dead_a_new_peer_bootstrapped_to_one_node_downloads_through_the_dht()
    {
        await using var cluster = new TestCluster(output);
        var tracker = await cluster.StartTrackerAsync();
        string original = TestCluster.WriteRandomFile(cluster.DataDir("alice"), "film.bin", 3_000_000, seed: 15);
        string fileId = (await ManifestBuilder.BuildAsync(original, cluster.Token)).Hash;

        // Alice shares; bob downloads through the tracker and joins the DHT through the peers the tracker lists
        // (alice's dht_port), with no -bootstrap of his own.
        var alice = await cluster.StartPeerAsync("alice", daemon: true, null, "-dht-port", "0");
        var bob = await cluster.StartPeerAsync("bob", daemon: true, null, "-dht-port", "0");
        using var aliceControl = new ControlProbe(alice.DataDir);
        using var bobControl = new ControlProbe(bob.DataDir);
        await bobControl.DownloadToCompletionAsync(fileId, Long, cluster.Token);
        await EventuallyAsync(aliceControl, d => d["announced_files"]!.GetValue<int>() >= 1, "alice to announce her share in the DHT", cluster.Token);
        var bobDht = await EventuallyAsync(bobControl, d => d["announced_files"]!.GetValue<int>() >= 1, "bob to announce his finished download in the DHT", cluster.Token);
        int bobDhtPort = bobDht["port"]!.GetValue<int>();

        tracker.Kill();
        await tracker.WaitForExitAsync(Long, cluster.Token);

        // Carol: the dead tracker's URL and one DHT node, nothing else.
        var carol = await cluster.StartPeerAsync("carol", daemon: false, null, "-dht-port", "0", "-bootstrap", $"127.0.0.1:{bobDhtPort}");
        using var carolControl = new ControlProbe(carol.DataDir);
        await carolControl.DownloadToCompletionAsync(fileId, Long, cluster.Token);

        Assert.Equal(await File.ReadAllBytesAsync(original, cluster.Token), await File.ReadAllBytesAsync(Path.Combine(carol.DataDir, "film.bin"), cluster.Token));
        var carolDht = (await carolControl.GetAsync("status", cluster.Token))["dht"]!;
        Assert.True(carolDht["holders_only_through_dht"]!.GetValue<long>() >= 1, carolDht.ToJsonString());
        Assert.Equal(1.0, carolDht["dht_share"]!.GetValue<double>());
    }

    /// <summary>Polls the node's DHT status until <paramref name="condition"/> holds (the node raises no event a test can await).</summary>
    private static async Task<JsonNode> EventuallyAsync(ControlProbe control, Func<JsonNode, bool> condition, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Long);
        while (true)
        {
            var dht = (await control.GetAsync("status", ct))["dht"] ?? throw new InvalidOperationException("the node runs no DHT");
            if (condition(dht))
            {
                return dht;
            }

            try
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"waited {Long.TotalSeconds:0} s for {what}: {dht.ToJsonString()}");
            }
        }
    }
}
