using System.Globalization;
using System.Text.RegularExpressions;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>The shell on a real pseudo-terminal (util-linux <c>script</c>), where Ctrl-C is the terminal's SIGINT.</summary>
public sealed class ShellTerminalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);
    private const long LimitBytesPerSecond = 2_000_000;

    [Fact]
    public async Task CtrlCWhileFollowing_ReturnsToPrompt_DownloadCarriesOn_RateCountsFromFollowStart_CtrlCAtPromptStops()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(alice.DataDir, "big.bin", 24L << 20, seed: 21);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        string hash = (await alice.Process.WaitForLineAsync("^([0-9a-f]{64})$", Long, cluster.Token)).Groups[1].Value;

        string bobDir = cluster.DataDir("bob");
        string command = $"exec '{RepoPaths.Peer}' -data '{bobDir}' -tracker {cluster.TrackerUrl} -port 0 -api-addr 127.0.0.1:0 -limit-down {LimitBytesPerSecond}";
        await using var shell = ChildProcess.Start("bob-tty", "script", ["-qefc", command, "/dev/null"], new Dictionary<string, string> { ["LOG_LEVEL"] = "Warning", ["TERM"] = "xterm" }, output);
        await shell.WaitForLineAsync(" ready: ", TestCluster.StartTimeout, cluster.Token);

        // A download already well under way when the shell starts following it: the rate shown must not count the
        // bytes it had before.
        using var control = new ControlProbe(bobDir);
        await control.StartDownloadAsync(hash, cluster.Token);
        await control.WaitForDownloadAsync(hash, d => ControlProbe.Fraction(d) >= 0.25, Long, cluster.Token);
        await Type(shell, $"download {hash}\n");
        await shell.WaitForLineAsync("following the download", Long, cluster.Token);
        await control.WaitForDownloadAsync(hash, d => ControlProbe.Fraction(d) >= 0.45, Long, cluster.Token);

        await Type(shell, "\u0003");
        await shell.WaitForLineAsync("stopped following; the download carries on", Long, cluster.Token);
        Assert.False(shell.HasExited);
        Assert.Equal("active", (await control.DownloadAsync(hash, cluster.Token))["state"]!.GetValue<string>());

        var rates = Regex.Matches(shell.Output, @"(\d+(?:\.\d+)?) ?(B|KB|MB|GB|KiB|MiB|GiB)/s").Select(ToBytesPerSecond).ToList();
        Assert.NotEmpty(rates);
        Assert.All(rates, rate => Assert.True(rate <= 3 * LimitBytesPerSecond, $"shown {rate:N0} B/s under a {LimitBytesPerSecond:N0} B/s limit"));

        await Type(shell, "\u0003");
        Assert.Equal(0, await shell.WaitForExitAsync(Long, cluster.Token));
    }

    private static async Task Type(ChildProcess process, string text)
    {
        await process.Input.WriteAsync(text);
        await process.Input.FlushAsync();
    }

    private static double ToBytesPerSecond(Match match)
    {
        double value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return value * match.Groups[2].Value switch
        {
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "KiB" => 1024,
            "MiB" => 1024 * 1024,
            "GiB" => 1024 * 1024 * 1024,
            _ => 1,
        };
    }
}
