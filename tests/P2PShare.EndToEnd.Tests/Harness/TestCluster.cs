using System.Net;
using System.Net.Sockets;

namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>A tracker and any number of peers as real processes on 127.0.0.1, each peer with its own data dir.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<ChildProcess> _processes = [];
    private readonly ITestOutputHelper? _output;

    public TestCluster(ITestOutputHelper? output = null)
    {
        _output = output;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "p2pshare-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    public string TrackerUrl { get; private set; } = "";

    public ChildProcess? Tracker { get; private set; }

    public CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts bin/tracker; with <paramref name="https"/> (TLS_CERT/TLS_KEY in <paramref name="env"/>) its URL is https.</summary>
    public async Task<ChildProcess> StartTrackerAsync(IDictionary<string, string>? env = null, int? port = null, bool https = false)
    {
        int chosen = port ?? Loopback.FreeTcpPort();
        var trackerEnv = WithDefaults(env);
        trackerEnv.TryAdd("TRACKER_KEY_FILE", Path.Combine(Root, "tracker.key"));
        var tracker = Track(ChildProcess.Start("tracker", RepoPaths.Tracker, ["-addr", $"127.0.0.1:{chosen}"], trackerEnv, _output));
        TrackerUrl = $"{(https ? "https" : "http")}://127.0.0.1:{chosen}";
        await WaitHealthyAsync(TrackerUrl);
        Tracker = tracker;
        return tracker;
    }

    /// <summary>Starts <c>peer</c> as a node (no verb) and waits until it is ready.</summary>
    public async Task<PeerProcess> StartPeerAsync(string name, bool daemon = false, IDictionary<string, string>? env = null, params string[] extraArgs)
    {
        string dataDir = DataDir(name);
        var args = new List<string> { "-port", "0", "-data", dataDir, "-tracker", TrackerUrl, "-api-addr", "127.0.0.1:0" };
        if (daemon)
        {
            args.Add("-daemon");
        }

        args.AddRange(extraArgs);
        var process = Track(ChildProcess.Start(name, RepoPaths.Peer, args, WithDefaults(env), _output));
        var ready = await process.WaitForLineAsync(@"peer (?<id>[0-9a-f]{40}) ready: p2p port (?<port>\d+), control (?<control>\S+),", StartTimeout, Token);
        return new PeerProcess(process, name, dataDir, ready.Groups["id"].Value, int.Parse(ready.Groups["port"].Value));
    }

    /// <summary>Runs a one-shot <c>peer</c> verb to completion and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunPeerAsync(string name, TimeSpan timeout, IDictionary<string, string>? env = null, params string[] args)
    {
        var all = new List<string>(args) { "-data", DataDir(name), "-tracker", TrackerUrl, "-port", "0", "-api-addr", "127.0.0.1:0" };
        await using var process = ChildProcess.Start(name + "-cli", RepoPaths.Peer, all, WithDefaults(env), _output);
        process.Input.Close();
        int code = await process.WaitForExitAsync(timeout, Token);
        return (code, process.Output);
    }

    public string DataDir(string name)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string WriteRandomFile(string directory, string name, long size, int seed)
    {
        string path = Path.Combine(directory, name);
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var stream = File.Create(path);
        for (long left = size; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }

        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitHealthyAsync(string url)
    {
        // Only whether it answers: the certificate of an https test tracker is the test's own, checked by the peers.
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url + "/health", deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static Dictionary<string, string> WithDefaults(IDictionary<string, string>? env)
    {
        var all = new Dictionary<string, string> { ["HEARTBEAT_INTERVAL"] = "2", ["LOG_LEVEL"] = "Information" };
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return all;
    }
}
