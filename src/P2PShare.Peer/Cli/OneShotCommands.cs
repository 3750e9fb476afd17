using System.CommandLine;
using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Client;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Control;

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
        var output = new Option<string?>("--output", "-o") { Description = "Directory to put the file in (default DATA_DIR); a file the node already has is copied there." };
        var downloadJson = JsonOption("progress as JSON lines, the last one with state completed, failed or paused");
        var download = new Command("download", "Download a file by ID; exits 0 once it is complete and verified.") { hash, output, downloadJson };
        download.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: true, seedAfter: false, ct, c => c.DownloadAsync(p.GetValue(hash)!, p.GetValue(output) is { } dir ? Path.GetFullPath(dir) : null, p.GetValue(downloadJson), ct)));

        // Hidden: help would list the verb as 'list <text>', as if the text were required; the description says it is not.
        var query = new Argument<string?>("text") { Description = "Only names containing this.", Arity = ArgumentArity.ZeroOrOne, Hidden = true };
        var limitFiles = new Option<int?>("--limit", "-limit") { Description = $"Show at most this many files (default {NetworkFileList.DefaultLimit})." }.WholeNumber(1, int.MaxValue);
        var all = new Option<bool>("--all", "-all") { Description = "Show every file, fetched page by page." };
        var listJson = JsonOption("one document: files, total, limit, offset");
        var list = new Command("list", "List files shared on the network; 'list TEXT' lists only names containing TEXT.") { query, limitFiles, all, listJson };
        list.SetAction((p, ct) => ListAsync(options.Resolve(p), p.GetValue(query), p.GetValue(all) ? null : p.GetValue(limitFiles) ?? NetworkFileList.DefaultLimit, p.GetValue(listJson), ct));

        var statusJson = JsonOption("one document: node, connections, downloads");
        var status = new Command("status", "Show the running node's status, connections (path, RTT) and downloads.") { statusJson };
        status.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.StatusAsync(p.GetValue(statusJson), ct)));

        var peersJson = JsonOption("one document: peers");
        var peers = new Command("peers", "List the running node's peer connections.") { peersJson };
        peers.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.PeersAsync(p.GetValue(peersJson), ct)));

        var pauseHash = new Argument<string>("hash");
        var pause = new Command("pause", "Pause a download of the running node.") { pauseHash };
        pause.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.PauseAsync(p.GetValue(pauseHash)!, ct)));

        var resumeHash = new Argument<string>("hash");
        var resume = new Command("resume", "Resume a paused download of the running node.") { resumeHash };
        resume.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.ResumeAsync(p.GetValue(resumeHash)!, ct)));

        var direction = new Argument<string?>("direction") { Description = "up or down", Arity = ArgumentArity.ZeroOrOne };
        var rate = new Argument<string?>("rate") { Description = "e.g. 10MB, 512KiB, 0 = unlimited", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Command("limit", "Show or change the running node's bandwidth limits ('limit [up|down RATE]').") { direction, rate };
        limit.SetAction((p, ct) => WithNodeAsync(options.Resolve(p), startIfNone: false, seedAfter: false, ct, c => c.LimitAsync(p.GetValue(direction), p.GetValue(rate), ct)));

        return [share, download, list, status, peers, pause, resume, limit];
    }

    private static Option<bool> JsonOption(string shape) => new("--json", "-json") { Description = $"Print JSON instead of a table ({shape}); see docs/features/peer-node.md." };

    /// <summary>Listing needs no node of our own: ask the running node, else the tracker directly.</summary>
    private static async Task<int> ListAsync(PeerOptions options, string? query, int? limit, bool json, CancellationToken ct)
    {
        var output = CliOutput.ForProcess();
        using var running = NodeHost.FindRunning(options);
        if (running is not null)
        {
            return await new NodeCommands(running, output, inShell: false).ListAsync(query, limit, json, ct);
        }

        var pin = options.TrackerPin is null ? null : TrackerCertificatePin.Parse(options.TrackerPin);
        using var http = TrackerClient.CreateHttpClient(options.TrackerUrl, options.ApiKey, pin);
        var tracker = new TrackerClient(http, pin);
        try
        {
            await NodeCommands.ShowFilesAsync(output, (size, offset, c) => tracker.ListFilesAsync(query, size, offset, c), query, limit, json, "peer list --all", ct);
            return 0;
        }
        catch (Exception ex) when (ex is TrackerException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> WithNodeAsync(PeerOptions options, bool startIfNone, bool seedAfter, CancellationToken ct, Func<NodeCommands, Task<int>> verb)
    {
        var output = CliOutput.ForProcess();
        using (var running = NodeHost.FindRunning(options))
        {
            if (running is not null)
            {
                return await verb(new NodeCommands(running, output, inShell: false));
            }
        }

        if (!startIfNone)
        {
            await Console.Error.WriteLineAsync($"error: no node is running on {options.FullDataDir} (start one with 'peer' or 'peer -daemon')");
            return 1;
        }

        using var logging = NodeHost.CreateLogging(interactive: true);
        // The ready line goes to standard error, so standard output carries only what the verb prints (--json).
        await using var node = await NodeHost.StartAsync(options, logging, Console.Error, ct);
        int code = await verb(new NodeCommands(new LocalNodeApi(node), output, inShell: false));
        if (code == 0 && seedAfter)
        {
            output.Line("[grey]seeding; press Ctrl-C to stop[/]");
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
