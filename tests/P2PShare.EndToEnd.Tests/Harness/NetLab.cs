namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>The hosts of a NAT lab built by tests/netlab/netlab.sh (see its README for the picture).</summary>
internal enum LabHost
{
    /// <summary>The server on the public side: tracker and relay, at <see cref="NetLab.ServerAddress"/>.</summary>
    S,

    /// <summary>The peer behind router RA.</summary>
    A,

    /// <summary>The peer behind router RB.</summary>
    B,

    /// <summary>Router B: its <c>wan</c> link leads to the Internet router.</summary>
    RB,

    /// <summary>The Internet router between the server and both routers (its link to RB is <c>rb</c>).</summary>
    Inet,
}

/// <summary>
/// A NAT lab of its own made of network namespaces (tests/netlab/netlab.sh): built for one test and removed after
/// it, even when the test fails. Needs root, iproute2, iptables and nft; <see cref="MissingReason"/> says what is
/// missing so the test can skip with that reason.
/// </summary>
internal sealed class NetLab : IAsyncDisposable
{
    public const string ServerAddress = "198.18.0.10";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper? _output;

    private NetLab(string prefix, ITestOutputHelper? output)
    {
        Prefix = prefix;
        _output = output;
    }

    public string Prefix { get; }

    private static string Script => Path.Combine(RepoPaths.Root, "tests", "netlab", "netlab.sh");

    /// <summary>Why a lab cannot be built here, or null when it can.</summary>
    public static string? MissingReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "building network namespaces needs root (CI runs as root; run the tests with sudo to include these)";
        }

        string[] tools = ["ip", "iptables", "nft", "tcpdump"];
        string? missing = tools.FirstOrDefault(tool => FindOnPath(tool) is null);
        return missing is null ? null : $"'{missing}' is not installed (scripts/install-test-deps.sh installs it)";
    }

    /// <summary>Builds a lab with the given NAT types (none, cone, restricted, symmetric) in front of A and B.</summary>
    public static async Task<NetLab> UpAsync(string natA, string natB, ITestOutputHelper? output, CancellationToken cancellationToken, int delayMs = 0, double lossPercent = 0)
    {
        var lab = new NetLab("p2p" + Guid.NewGuid().ToString("N")[..10], output);
        try
        {
            await lab.RunScriptAsync(cancellationToken, "up", "--prefix", lab.Prefix, "--nat-a", natA, "--nat-b", natB,
                "--delay-ms", delayMs.ToString(), "--loss-pct", lossPercent.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The network namespace of <paramref name="host"/>, for <c>ip netns exec</c>.</summary>
    public string Namespace(LabHost host) => $"{Prefix}-{host.ToString().ToLowerInvariant()}";

    /// <summary>Removes the lab: stops whatever still runs inside it and deletes its namespaces.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunScriptAsync(CancellationToken.None, "down", "--prefix", Prefix);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            _output?.WriteLine($"netlab down failed: {e.Message}");
        }
    }

    private async Task RunScriptAsync(CancellationToken cancellationToken, params string[] args)
    {
        var env = new Dictionary<string, string> { ["NETLAB_STATE_DIR"] = Path.Combine(Path.GetTempPath(), "p2pshare-netlab") };
        await using var script = ChildProcess.Start("netlab", "bash", [Script, .. args], env, _output);
        script.Input.Close();
        int code = await script.WaitForExitAsync(ScriptTimeout, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"netlab.sh {string.Join(' ', args)} exited with {code}:\n{script.Output}");
        }
    }

    private static string? FindOnPath(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
    }
}
