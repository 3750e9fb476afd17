using System.CommandLine;
using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Client;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>
/// Verbs for scripts. Each talks to the node already running on the data dir when there is one; share and
/// download otherwise start a node in this process; the rest need a running node.
/// </summary>
internal static class OneShotCommands
{
    public static IEnumerable<Command> Create(NodeOptions options)
    {
        var sharePath = new Argument<string>("path") { Description = "File to share." };
        var share = new Command("share", "Share a file and seed it until interrupted (or hand it to the running node).") { sharePath };
        share.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: true, seedAfter: true, ct, c => c.ShareAsync(Path.GetFullPath(p.GetValue(sharePath)!), ct)));

        var hash = new Argument<string>("hash") { Description = "File ID (64 hex characters)." };
        var output = new Option<string?>("--output", "-o") { Description = "Directory to put the file in (default DATA_DIR)." };
        var download = new Command("download", "Download a file by ID; exits 0 once it is complete and verified.") { hash, output };
        download.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: true, seedAfter: false, ct, c => c.DownloadAsync(p.GetValue(hash)!, p.GetValue(output) is { } dir ? Path.GetFullPath(dir) : null, ct)));

        var query = new Argument<string?>("text") { Description = "Only names containing this.", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List files shared on the network.") { query };
        list.SetAction((p, ct) => ListAsync(options.Resolve(p), p.GetValue(query), ct));

        var status = new Command("status", "Show the running node's status and downloads.");
        status.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.StatusAsync(ct)));

        var peers = new Command("peers", "List the running node's peer connections.");
        peers.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.PeersAsync(ct)));

        var pauseHash = new Argument<string>("hash");
        var pause = new Command("pause", "Pause a download of the running node.") { pauseHash };
        pause.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.PauseAsync(p.GetValue(pauseHash)!, ct)));

        var resumeHash = new Argument<string>("hash");
        var resume = new Command("resume", "Resume a paused download of the running node.") { resumeHash };
        resume.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.ResumeAsync(p.GetValue(resumeHash)!, ct)));

        var direction = new Argument<string?>("direction") { Description = "up or down", Arity = ArgumentArity.ZeroOrOne };
        var rate = new Argument<string?>("rate") { Description = "e.g. 10MB, 512KiB, 0 = unlimited", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Command("limit", "Show or change the running node's bandwidth limits.") { direction, rate };
        limit.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.LimitAsync(p.GetValue(direction), p.GetValue(rate), ct)));

        return [share, download, list, status, peers, pause, resume, limit];
    }

    /// <summary>Listing needs no node of our own: ask the running node, else the tracker directly.</summary>
    private static async Task<int> ListAsync(PeerOptions options, string? query, CancellationToken ct)
    {
        using var running = NodeHost.FindRunning(options);
        if (running is not null)
        {
            return await new NodeCommands(running, AnsiConsole.Console).ListAsync(query, ct);
        }

        var pin = options.TrackerPin is null ? null : TrackerCertificatePin.Parse(options.TrackerPin);
        using var http = TrackerClient.CreateHttpClient(options.TrackerUrl, options.ApiKey, pin);
        try
        {
            ConsoleViews.NetworkFiles(AnsiConsole.Console, await new TrackerClient(http, pin).ListFilesAsync(query, TrackerLimits.MaxPageSize, 0, ct));
            return 0;
        }
        catch (TrackerException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> WithNodeAsync(PeerOptions options, bool startIfNone, bool seedAfter, CancellationToken ct, Func<NodeCommands, Task<int>> verb)
    {
        var console = AnsiConsole.Console;
        using (var running = NodeHost.FindRunning(options))
        {
            if (running is not null)
            {
                return await verb(new NodeCommands(running, console));
            }
        }

        if (!startIfNone)
        {
            await Console.Error.WriteLineAsync($"error: no node is running on {options.FullDataDir} (start one with 'peer' or 'peer -daemon')");
            return 1;
        }

        using var logging = NodeHost.CreateLogging(interactive: true);
        await using var node = await NodeHost.StartAsync(options, logging, ct);
        int code = await verb(new NodeCommands(new LocalNodeApi(node), console));
        if (code == 0 && seedAfter)
        {
            console.MarkupLine("[grey]seeding; press Ctrl-C to stop[/]");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return code;
    }
}
