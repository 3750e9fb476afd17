using System.CommandLine;
using System.CommandLine.Help;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace P2PShare.Tracker.Tests;

/// <summary>
/// Every flag of the real tracker executable, given a value it cannot use: exit code 2 and one line naming the flag,
/// no stack trace. A flag added without a case here fails <see cref="EveryFlag_HasABadValueCase"/>.
/// </summary>
public sealed class TrackerFlagTests
{
    private static readonly (string Flag, string Value)[] Cases =
    [
        ("-addr", "bogus"),
        ("-heartbeat-interval", "0"),
        ("-max-body-bytes", "abc"),
        ("-register-rate-limit", "-1"),
        ("-register-burst", "lots"),
        ("-key-file", "/proc/p2pshare-no-such-dir/tracker.key"),
        ("-tls-cert", "/nonexistent/p2pshare-cert.pem"),
        ("-tls-key", "/nonexistent/p2pshare-key.pem"),
        ("-trusted-proxies", "not-an-address"),
        ("-max-files-per-peer", "0"),
        ("-max-files", "1.5"),
        ("-max-manifest-bytes", "huge"),
        ("-udp-addr", "bogus:udp"),
        ("-relay-max-tunnels", "-5"),
        ("-relay-max-tunnels-per-peer", "many"),
        ("-relay-rate", "fast"),
        ("-relay-total-rate", "lots"),
        ("-relay-idle-timeout", "0"),
    ];

    public static TheoryData<string, string> BadValues => new(Cases);

    [Fact]
    public void EveryFlag_HasABadValueCase()
    {
        var flags = TrackerCommandLine.Build().Options
            .Where(o => o is not HelpOption and not VersionOption)
            .Select(o => o.Aliases.First(a => !a.StartsWith("--", StringComparison.Ordinal)))
            .Order();
        Assert.Equal(flags, Cases.Select(c => c.Flag).Order());
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Flag_ValueItCannotUse_Exit2AndOneLineNamingTheFlag(string flag, string value)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] listen = flag == "-addr" ? [] : ["-addr", "127.0.0.1:0"];
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "tracker.dll"), .. listen, flag, value])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TRACKER_KEY_FILE"] = Path.Combine(Path.GetTempPath(), $"p2pshare-tracker-flags-{Environment.ProcessId}", "tracker.key");
        using var tracker = Process.Start(start)!;
        var stdout = tracker.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = tracker.StandardError.ReadToEndAsync(timeout.Token);
        await tracker.WaitForExitAsync(timeout.Token);
        string[] lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, tracker.ExitCode);
        Assert.Equal("", await stdout);
        string line = Assert.Single(lines);
        Assert.StartsWith("tracker: ", line);
        Assert.Matches($"{Regex.Escape(flag)}(?![-a-z])", line);
        Assert.Contains(value, line);
    }
}
