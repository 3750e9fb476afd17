using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.RegularExpressions;

namespace P2PShare.Tracker.Tests;

/// <summary>The real tracker executable: command line, startup and graceful shutdown on SIGTERM.</summary>
public sealed partial class TrackerProcessTests
{
    [Fact]
    public async Task Tracker_Sigterm_ClosesEventClientsAndExitsWithZeroEvenWhenOneNeverAnswersTheClose()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var tracker = Start("--addr", "127.0.0.1:0", "--heartbeat-interval", "5");
        var output = new TrackerOutput(tracker);
        var address = await output.ListeningAddressAsync(timeout.Token);
        using var http = new HttpClient { BaseAddress = address };
        Assert.Contains("\"status\":\"ok\"", await http.GetStringAsync("/health", timeout.Token));
        using var feed = new ClientWebSocket();
        await feed.ConnectAsync(new Uri($"ws://{address.Authority}/ws"), timeout.Token);
        var buffer = new byte[4096];
        await feed.ReceiveAsync(buffer, timeout.Token);

        LocalProcess.Terminate(tracker.Id);

        // The client reads the close frame but never answers it, so the tracker waits out its close timeout
        // (2 s) before aborting the socket: shutdown must still finish gracefully, with exit code 0.
        var closing = await feed.ReceiveAsync(buffer, timeout.Token);
        await tracker.WaitForExitAsync(timeout.Token);

        Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, closing.CloseStatus);
        Assert.Equal(0, tracker.ExitCode);
        Assert.Contains("Application is shutting down", output.Text);
    }

    [Fact]
    public async Task Tracker_InvalidFlagValue_ExitsWith2AndSaysWhy()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var tracker = Start("-addr", "127.0.0.1:0", "-heartbeat-interval", "0");
        var output = new TrackerOutput(tracker);

        await tracker.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, tracker.ExitCode);
        Assert.Contains("invalid value '0' for -heartbeat-interval: expected a whole number from 1 to 86400", output.Text);
    }

    [Theory]
    [InlineData("-max-body-bytes", "abc", "invalid value 'abc' for -max-body-bytes: expected a whole number from 1024 to 1073741824")]
    [InlineData("--heartbeat-interval", "1.5", "invalid value '1.5' for -heartbeat-interval: expected a whole number from 1 to 86400")]
    [InlineData("-register-rate-limit", "99999999999999999999", "invalid value '99999999999999999999' for -register-rate-limit: expected a whole number from 0 to")]
    public async Task Tracker_FlagValueNotANumber_ExitsWith2AndNamesFlagAndExpectedForm(string flag, string value, string expected)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var tracker = Start("-addr", "127.0.0.1:0", flag, value);
        var output = new TrackerOutput(tracker);

        await tracker.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, tracker.ExitCode);
        Assert.Contains(expected, output.Text);
        Assert.DoesNotContain("System.", output.Text);
    }

    [Fact]
    public async Task Tracker_PortInUse_OneLineNamingAddressAndPort_Exit2()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        int port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        using var tracker = Start("-addr", $"127.0.0.1:{port}");
        var output = new TrackerOutput(tracker);

        await tracker.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, tracker.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", output.Text);
        Assert.Contains("already in use", output.Text);
        Assert.DoesNotContain("   at ", output.Text);
    }

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tracker.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string variable in new[] { "TRACKER_ADDR", "API_KEYS", "API_KEYS_FILE", "HEARTBEAT_INTERVAL", "MAX_BODY_BYTES", "REGISTER_RATE_LIMIT", "STATS_INTERVAL", "TLS_CERT", "TLS_KEY", "TRUSTED_PROXIES" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["TRACKER_KEY_FILE"] = Path.Combine(Path.GetTempPath(), $"p2pshare-tracker-process-{Environment.ProcessId}", "tracker.key");

        return Process.Start(start)!;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>Collects both output streams and finds the listening address in them.</summary>
    private sealed class TrackerOutput
    {
        private readonly System.Text.StringBuilder _text = new();
        private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TrackerOutput(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public Task<Uri> ListeningAddressAsync(CancellationToken cancellationToken) => _listening.Task.WaitAsync(cancellationToken);

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_text)
            {
                _text.AppendLine(line);
            }

            try
            {
                TestContext.Current.TestOutputHelper?.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; its output is closed.
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
    }
}
