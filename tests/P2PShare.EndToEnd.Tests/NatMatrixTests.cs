using System.Text.Json;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>
/// The NAT matrix: for each class of NAT pair (tests/netlab types), the seeder in A and the downloader in B get a
/// byte-identical file over the path the lab allows: direct TCP when the seeder is public, a UDP hole punch
/// wherever the lab's plain punch gets through, the relay only for symmetric↔restricted and symmetric↔symmetric
/// (the latter is NatTraversalTests), and the downloader's own record of its dial (<c>dial_ms</c>) says the path was
/// decided within 5 s: direct and the punch race, and an unpunchable pair gets the relay once the 3 s punch window
/// has passed. Each peer also reports the NAT mapping it measured through the rendezvous.
/// Labs run one after another (xunit runs a class's tests in sequence).
/// </summary>
public sealed class NatMatrixTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("cone", "cone", "holepunch")]
    [InlineData("restricted", "restricted", "holepunch")]
    [InlineData("cone", "restricted", "holepunch")]
    [InlineData("cone", "symmetric", "holepunch")]
    [InlineData("symmetric", "cone", "holepunch")]
    [InlineData("restricted", "none", "holepunch")]
    [InlineData("symmetric", "none", "holepunch")]
    [InlineData("none", "restricted", "direct")]
    [InlineData("symmetric", "restricted", "relay")]
    [InlineData("restricted", "symmetric", "relay")]
    public async Task Download_TakesThePathTheNatsAllow_AndIsByteIdentical(string natSeeder, string natDownloader, string expectedPath)
    {
        await RunPairAsync(natSeeder, natDownloader, expectedPath, delayMs: 0, lossPercent: 0);
    }

    [Fact]
    public async Task PunchedPath_With25msPerLinkAnd2PercentLoss_StillCarriesTheDownload()
    {
        await RunPairAsync("cone", "restricted", "holepunch", delayMs: 25, lossPercent: 2);
    }

    /// <summary>
    /// The link between the Internet router and router B carries at most 1400-byte packets, as a tunnel or PPPoE
    /// link would: the stream's 1452-byte path-MTU probe (sent with don't-fragment) is lost there, so it must stay at
    /// 1200-byte datagrams and still carry the whole file.
    /// </summary>
    [Fact]
    public async Task PunchedPath_AcrossALinkWithA1400ByteMtu_StillCarriesTheDownload()
    {
        await RunPairAsync("cone", "cone", "holepunch", delayMs: 0, lossPercent: 0, narrowLinkMtu: 1400);
    }

    private async Task RunPairAsync(string natSeeder, string natDownloader, string expectedPath, int delayMs, double lossPercent, int? narrowLinkMtu = null)
    {
        string? missing = NetLab.MissingReason();
        Assert.SkipWhen(missing is not null, missing ?? "");
        await using var lab = await NetLab.UpAsync(natSeeder, natDownloader, output, TestContext.Current.CancellationToken, delayMs, lossPercent);
        if (narrowLinkMtu is { } mtu)
        {
            await SetMtuAsync(lab.Namespace(LabHost.Inet), "rb", mtu);
            await SetMtuAsync(lab.Namespace(LabHost.RB), "wan", mtu);
        }

        await using var cluster = new NatTraversalTests(output).LabCluster(lab);
        await cluster.StartTrackerAsync();
        await cluster.StartPeerAsync("alice");
        await cluster.StartPeerAsync("bob");
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "matrix.bin", (1024 * 1024) + 4321, seed: 23);

        await NatTraversalTests.DownloadAsync(cluster, source);

        Assert.Equal(expectedPath, await NatTraversalTests.PathToAsync(cluster, "bob"));
        int dialMs = await DialMsAsync(cluster, "bob");
        output.WriteLine($"{natSeeder} -> {natDownloader}: {expectedPath} decided in {dialMs} ms");
        Assert.True(dialMs < DecisionBound.TotalMilliseconds, $"the path was decided {dialMs} ms after the dial started");
        Assert.Equal(ExpectedMapping(natSeeder), await NatMappingOfAsync(cluster, "alice"));
        Assert.Equal(ExpectedMapping(natDownloader), await NatMappingOfAsync(cluster, "bob"));
    }

    private async Task SetMtuAsync(string space, string device, int mtu)
    {
        await using var set = ChildProcess.Start("mtu", "ip", ["netns", "exec", space, "ip", "link", "set", "dev", device, "mtu", mtu.ToString()], output: output);
        set.Input.Close();
        Assert.Equal(0, await set.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    /// <summary>The bound; the product's timeouts (300 ms head start, 3 s punch window) are built to meet it.</summary>
    private static readonly TimeSpan DecisionBound = TimeSpan.FromSeconds(5);

    /// <summary>The <c>dial_ms</c> the node recorded on its one outbound connection (<c>peer peers --json</c>).</summary>
    internal static async Task<int> DialMsAsync(TestCluster cluster, string name)
    {
        var peers = await cluster.RunPeerAsync(name, NatTraversalTests.Long, null, "peers", "--json");
        Assert.True(peers.ExitCode == 0, peers.Output);
        using var json = JsonDocument.Parse(peers.Output);
        var dialled = json.RootElement.GetProperty("peers").EnumerateArray().Where(c => c.GetProperty("direction").GetString() == "outbound").ToList();
        return Assert.Single(dialled).GetProperty("dial_ms").GetInt32();
    }

    /// <summary>MASQUERADE keeps the source port (one mapping for every destination); --random-fully picks one per destination.</summary>
    private static string ExpectedMapping(string nat) => nat == "symmetric" ? "endpoint-dependent" : "endpoint-independent";

    private static async Task<string> NatMappingOfAsync(TestCluster cluster, string name)
    {
        var status = await cluster.RunPeerAsync(name, NatTraversalTests.Long, null, "status", "--json");
        Assert.True(status.ExitCode == 0, status.Output);
        using var json = JsonDocument.Parse(status.Output);
        return json.RootElement.GetProperty("node").GetProperty("hole_punch").GetProperty("nat_mapping").GetString() ?? "";
    }
}
