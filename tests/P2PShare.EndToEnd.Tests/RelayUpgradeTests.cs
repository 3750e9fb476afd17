using System.Text.Json;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>
/// Leaving the relay mid-transfer, in a cone↔cone lab (where punching works): the downloader holds punching back
/// for its first seconds (PUNCH_DELAY) and its download is throttled, so the transfer starts on the relay; when the
/// delay ends the node punches, moves its requests to the punched link and closes the drained relayed one. The
/// file must be byte-identical, both paths must have carried part of it, and only the punched link remains, in the
/// node's list and on the tracker's record of it.
/// </summary>
public sealed class RelayUpgradeTests(ITestOutputHelper output)
{
    private const long ChunkSize = 256 * 1024;

    [Fact]
    public async Task DownloadStartedOnTheRelay_MovesToThePunchedPathMidTransfer_AndIsByteIdentical()
    {
        string? missing = NetLab.MissingReason();
        Assert.SkipWhen(missing is not null, missing ?? "");
        await using var lab = await NetLab.UpAsync("cone", "cone", output, TestContext.Current.CancellationToken);
        await using var cluster = new NatTraversalTests(output).LabCluster(lab);
        // Heartbeats 10 minutes apart: the tracker can only learn of the move from the report the move itself sends.
        await cluster.StartTrackerAsync(new Dictionary<string, string> { ["HEARTBEAT_INTERVAL"] = "600" });
        var alice = await cluster.StartPeerAsync("alice");
        // Direct TCP gives up after 5 s, so the relay carries the file from then until the punch at 8 s (at most 2 MB/s).
        var bob = await cluster.StartPeerAsync("bob", env: new Dictionary<string, string> { ["PUNCH_DELAY"] = "8", ["LIMIT_DOWN"] = "2MB" });
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "upgrade.bin", (16 * 1024 * 1024) + 999, seed: 41);
        long size = new FileInfo(source).Length;

        await NatTraversalTests.DownloadAsync(cluster, source);

        Assert.Contains($"connected to {alice.PeerId} over relay", bob.Process.Output);
        Assert.Contains($"link to {alice.PeerId} moved from relay to holepunch", bob.Process.Output);
        await WaitForSinglePathAsync(cluster, "bob");
        await TrackerProbe.EventuallyAsync(
            async () => await TrackerListedPathsAsync(cluster, bob.PeerId) == $"{alice.PeerId}:holepunch",
            TimeSpan.FromSeconds(60),
            "the tracker's record of bob to list its one connection, to alice over holepunch",
            cluster.Token);
        long punchedBytes = await PunchedBytesDownAsync(cluster, "bob");
        output.WriteLine($"the punched link carried {punchedBytes} of {size} bytes; the relay the rest");
        Assert.InRange(punchedBytes, ChunkSize, size - ChunkSize); // both paths carried whole chunks of it
    }

    /// <summary>The relayed link closes once drained; until then <c>peers</c> lists both.</summary>
    private static async Task WaitForSinglePathAsync(TestCluster cluster, string name)
    {
        while (true)
        {
            var peers = await cluster.RunPeerAsync(name, NatTraversalTests.Long, null, "peers", "--json");
            Assert.True(peers.ExitCode == 0, peers.Output);
            using var json = JsonDocument.Parse(peers.Output);
            var paths = json.RootElement.GetProperty("peers").EnumerateArray().Select(c => c.GetProperty("path").GetString()).ToList();
            if (paths is ["holepunch"])
            {
                return;
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The connections the tracker's record of a peer lists (what its event feed sends), as "peer:path" pairs.</summary>
    private static async Task<string> TrackerListedPathsAsync(TestCluster cluster, string peerId)
    {
        using var json = JsonDocument.Parse(await cluster.TrackerGetAsync($"/api/peers/{peerId}"));
        return string.Join(",", json.RootElement.GetProperty("connections").EnumerateArray()
            .Select(c => $"{c.GetProperty("peer_id").GetString()}:{c.GetProperty("path").GetString()}"));
    }

    private static async Task<long> PunchedBytesDownAsync(TestCluster cluster, string name)
    {
        var peers = await cluster.RunPeerAsync(name, NatTraversalTests.Long, null, "peers", "--json");
        Assert.True(peers.ExitCode == 0, peers.Output);
        using var json = JsonDocument.Parse(peers.Output);
        var punched = json.RootElement.GetProperty("peers").EnumerateArray().Single(c => c.GetProperty("path").GetString() == "holepunch");
        return punched.GetProperty("bytes_down").GetInt64();
    }
}
