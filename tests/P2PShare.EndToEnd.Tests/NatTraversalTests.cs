using System.Text;
using System.Text.Json;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>
/// Downloads between peers behind NATs in a lab of network namespaces (tests/netlab): the tracker on the public
/// server S, the seeder in A and the downloader in B, each behind the router type the test asks for.
/// </summary>
public sealed class NatTraversalTests(ITestOutputHelper output)
{
    internal static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task BothPeersBehindSymmetricNats_DownloadGoesThroughTheRelay_AndTheTrackerSeesNoPlaintext()
    {
        await using var lab = await StartLabAsync("symmetric", "symmetric");
        await using var cluster = LabCluster(lab);
        await cluster.StartTrackerAsync();
        await cluster.StartPeerAsync("alice");
        await cluster.StartPeerAsync("bob");
        string marker = "P2PSHARE-PLAINTEXT-MARKER-" + Guid.NewGuid().ToString("N");
        string source = WriteMarkedFile(cluster.DataDir("input"), "secret.bin", marker, copies: 2_000);

        await using var capture = ChildProcess.Start("tcpdump", "ip", ["netns", "exec", lab.Namespace(LabHost.S), "tcpdump", "-i", "eth0", "-U", "-B", "65536", "-s", "0", "-w", Path.Combine(cluster.Root, "server.pcap"), "tcp"], output: output);
        await capture.WaitForLineAsync("listening on", Long, cluster.Token);

        await DownloadAsync(cluster, source);
        Assert.Equal("relay", await PathToAsync(cluster, "bob"));

        await capture.StopAsync(TimeSpan.FromSeconds(5));
        byte[] captured = File.ReadAllBytes(Path.Combine(cluster.Root, "server.pcap"));
        long fileSize = new FileInfo(source).Length;
        // Twice less a margin: on a loaded machine the kernel may drop a few packets from the capture.
        Assert.True(captured.Length > 1.8 * fileSize, $"the capture holds {captured.Length} bytes; a relayed {fileSize}-byte file crosses the server twice");
        Assert.Equal(-1, captured.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker)));
        Assert.Contains(marker, File.ReadAllText(source));
    }

    [Fact]
    public async Task SeederOnAPublicAddress_DownloaderBehindSymmetricNat_DownloadIsDirect()
    {
        await using var lab = await StartLabAsync("none", "symmetric");
        await using var cluster = LabCluster(lab);
        await cluster.StartTrackerAsync();
        await cluster.StartPeerAsync("alice");
        await cluster.StartPeerAsync("bob");
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "public.bin", (3 * 1024 * 1024) + 77, seed: 14);

        await DownloadAsync(cluster, source);
        Assert.Equal("direct", await PathToAsync(cluster, "bob"));
    }

    private async Task<NetLab> StartLabAsync(string natA, string natB)
    {
        string? missing = NetLab.MissingReason();
        Assert.SkipWhen(missing is not null, missing ?? "");
        return await NetLab.UpAsync(natA, natB, output, TestContext.Current.CancellationToken);
    }

    internal TestCluster LabCluster(NetLab lab)
    {
        var cluster = new TestCluster(output) { TrackerHost = NetLab.ServerAddress };
        cluster.Namespaces["tracker"] = lab.Namespace(LabHost.S);
        cluster.Namespaces["alice"] = lab.Namespace(LabHost.A);
        cluster.Namespaces["bob"] = lab.Namespace(LabHost.B);
        return cluster;
    }

    /// <summary>Alice shares <paramref name="source"/>, Bob downloads it; the copy must be byte-identical.</summary>
    internal static async Task DownloadAsync(TestCluster cluster, string source)
    {
        var shared = await cluster.RunPeerAsync("alice", Long, null, "share", source);
        Assert.True(shared.ExitCode == 0, shared.Output);
        string hash = shared.Output.Split('\n').Single(l => l.Length == 64 && l.All(char.IsAsciiHexDigitLower));

        var downloaded = await cluster.RunPeerAsync("bob", Long, null, "download", hash);
        Assert.True(downloaded.ExitCode == 0, downloaded.Output);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(cluster.DataDir("bob"), Path.GetFileName(source))));
    }

    /// <summary>The path of <paramref name="name"/>'s one established connection, as <c>peer peers --json</c> reports it.</summary>
    internal static async Task<string> PathToAsync(TestCluster cluster, string name)
    {
        var peers = await cluster.RunPeerAsync(name, Long, null, "peers", "--json");
        Assert.True(peers.ExitCode == 0, peers.Output);
        using var json = JsonDocument.Parse(peers.Output);
        var paths = json.RootElement.GetProperty("peers").EnumerateArray().Select(c => c.GetProperty("path").GetString()).Distinct().ToList();
        return Assert.Single(paths) ?? "";
    }

    /// <summary>A file whose every 4 KiB block holds <paramref name="marker"/>, so any plaintext fragment would show it.</summary>
    private static string WriteMarkedFile(string directory, string name, string marker, int copies)
    {
        string path = Path.Combine(directory, name);
        string block = marker + new string('.', 4096 - marker.Length - 1) + "\n";
        using var writer = new StreamWriter(path, append: false, Encoding.ASCII);
        for (int i = 0; i < copies; i++)
        {
            writer.Write(block);
        }

        return path;
    }
}
