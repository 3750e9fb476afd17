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

    /// <summary>
    /// Where each process runs: a network namespace by process name ("tracker" or a peer's name, whose one-shot
    /// verbs run there too); processes not listed run in the test's own namespace.
    /// </summary>
    public Dictionary<string, string> Namespaces { get; } = [];

    /// <summary>The address the tracker listens on and peers reach it at.</summary>
    public string TrackerHost { get; init; } = "127.0.0.1";

    /// <summary>Starts bin/tracker; with <paramref name="https"/> (TLS_CERT/TLS_KEY in <paramref name="env"/>) its URL is https.</summary>
    public async Task<ChildProcess> StartTrackerAsync(IDictionary<string, string>? env = null, int? port = null, bool https = false)
    {
        int chosen = port ?? Loopback.FreeTcpPort();
        var trackerEnv = WithDefaults(env);
        trackerEnv.TryAdd("TRACKER_KEY_FILE", Path.Combine(Root, "tracker.key"));
        string bind = Namespaces.ContainsKey("tracker") ? "0.0.0.0" : TrackerHost;
        var tracker = Track(Launch("tracker", "tracker", RepoPaths.Tracker, ["-addr", $"{bind}:{chosen}"], trackerEnv));
        TrackerUrl = $"{(https ? "https" : "http")}://{TrackerHost}:{chosen}";
        if (Namespaces.TryGetValue("tracker", out string? space))
        {
            await WaitHealthyInNamespaceAsync(space, chosen);
        }
        else
        {
            await WaitHealthyAsync(TrackerUrl);
        }

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
        var process = Track(Launch(name, name, RepoPaths.Peer, args, WithDefaults(env)));
        var ready = await process.WaitForLineAsync(@"peer (?<id>[0-9a-f]{40}) ready: p2p port (?<port>\d+), control (?<control>\S+),", StartTimeout, Token);
        return new PeerProcess(process, name, dataDir, ready.Groups["id"].Value, int.Parse(ready.Groups["port"].Value));
    }

    /// <summary>Runs a one-shot <c>peer</c> verb to completion and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunPeerAsync(string name, TimeSpan timeout, IDictionary<string, string>? env = null, params string[] args)
    {
        var all = new List<string>(args) { "-data", DataDir(name), "-tracker", TrackerUrl, "-port", "0", "-api-addr", "127.0.0.1:0" };
        await using var process = Launch(name, name + "-cli", RepoPaths.Peer, all, WithDefaults(env));
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

    /// <summary>Asks from inside the namespace (the test cannot reach it) until /health answers 200.</summary>
    private async Task WaitHealthyInNamespaceAsync(string space, int port)
    {
        string check = Path.Combine(RepoPaths.Root, "docker", "healthcheck.sh");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            await using var probe = ChildProcess.Start("health", "ip", ["netns", "exec", space, "bash", check, "http", port.ToString()]);
            probe.Input.Close();
            if (await probe.WaitForExitAsync(StartTimeout, deadline.Token) == 0)
            {
                return;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>
    /// GETs <paramref name="path"/> from the tracker and returns the body; from inside the tracker's namespace (through
    /// bash's /dev/tcp, as the health check) when it runs in one.
    /// </summary>
    public async Task<string> TrackerGetAsync(string path)
    {
        if (!Namespaces.TryGetValue("tracker", out string? space))
        {
            using var http = new HttpClient();
            return await http.GetStringAsync(new Uri(new Uri(TrackerUrl), path), Token);
        }

        const string Get = "exec 3<>\"/dev/tcp/127.0.0.1/$1\" && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' \"$2\" >&3 && sed '1,/^\\r$/d' <&3";
        await using var get = ChildProcess.Start("tracker-get", "ip", ["netns", "exec", space, "bash", "-c", Get, "get", new Uri(TrackerUrl).Port.ToString(), path]);
        get.Input.Close();
        int exit = await get.WaitForExitAsync(StartTimeout, Token);
        Assert.True(exit == 0, $"GET {path} in {space} exited {exit}: {get.Output}");
        return get.Output;
    }

    private ChildProcess Launch(string placement, string label, string fileName, IEnumerable<string> args, IDictionary<string, string> env) =>
        Namespaces.TryGetValue(placement, out string? space)
            ? ChildProcess.Start(label, "ip", ["netns", "exec", space, fileName, .. args], env, _output)
            : ChildProcess.Start(label, fileName, args, env, _output);

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
