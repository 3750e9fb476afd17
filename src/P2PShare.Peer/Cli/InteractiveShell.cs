using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>
/// The line-based shell of a running node. Reads commands until <c>quit</c>; at the end of input it quits when
/// input is a terminal and otherwise leaves the node running (so a node started with no stdin keeps serving).
/// </summary>
internal sealed class InteractiveShell(NodeCommands commands, CliOutput output, TextReader input, bool inputIsTerminal, Interrupts interrupts)
{
    private const string Help = """
        share <path>            share a file (hash it, announce it, serve it)
        list [--all] [text]     files on the network (optionally filtered by name)
        download <hash> [dir]   download a file by its ID and verify it (Ctrl-C stops following, not the download)
        status                  this node: ID, ports, tracker, traffic, connections (path, RTT), downloads
        peers                   open peer connections with transport and traffic
        pause <hash>            pause a download (resume survives restarts)
        resume <hash>           resume a paused download
        limit [up|down <rate>]  show or set bandwidth limits (10MB, 512KiB, 0 = unlimited)
        help                    this list
        quit                    stop the node (so do Ctrl-C at the prompt and Ctrl-D)
        """;

    /// <summary>Returns true when the user asked to quit, false when input ended.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        output.Line("type [bold]help[/] for commands");
        while (!cancellationToken.IsCancellationRequested)
        {
            if (inputIsTerminal)
            {
                output.Console.Markup("[bold]p2p>[/] ");
            }

            string? line;
            try
            {
                line = await input.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return true;
            }

            if (line is null)
            {
                return inputIsTerminal;
            }

            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (words[0] is "quit" or "exit")
            {
                return true;
            }

            try
            {
                await ExecuteAsync(words, line, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }

        return true;
    }

    private async Task ExecuteAsync(string[] words, string line, CancellationToken ct)
    {
        string rest = line.Trim()[words[0].Length..].Trim();
        switch (words[0])
        {
            case "help":
                output.Text(Help);
                break;
            case "share" when rest.Length > 0:
                await commands.ShareAsync(Path.GetFullPath(rest), ct);
                break;
            case "list" when words.Length > 1 && words[1] == "--all":
                await commands.ListAsync(Query(rest["--all".Length..]), null, json: false, ct);
                break;
            case "list":
                await commands.ListAsync(Query(rest), NetworkFileList.DefaultLimit, json: false, ct);
                break;
            case "download" when words.Length is 2 or 3:
                await FollowDownloadAsync(words[1], words.Length == 3 ? Path.GetFullPath(words[2]) : null, ct);
                break;
            case "status" when words.Length == 1:
                await commands.StatusAsync(json: false, ct);
                break;
            case "peers" when words.Length == 1:
                await commands.PeersAsync(json: false, ct);
                break;
            case "pause" when words.Length == 2:
                await commands.PauseAsync(words[1], ct);
                break;
            case "resume" when words.Length == 2:
                await commands.ResumeAsync(words[1], ct);
                break;
            case "limit" when words.Length is 1 or 3:
                await commands.LimitAsync(words.Length == 3 ? words[1] : null, words.Length == 3 ? words[2] : null, ct);
                break;
            case "share" or "download" or "status" or "peers" or "pause" or "resume" or "limit":
                await Console.Error.WriteLineAsync($"error: wrong arguments for '{words[0]}' (try 'help')");
                break;
            default:
                await Console.Error.WriteLineAsync($"error: unknown command '{words[0]}' (try 'help')");
                break;
        }
    }

    /// <summary>Follows a download until it ends or Ctrl-C; then the prompt returns and the download carries on.</summary>
    private async Task FollowDownloadAsync(string hash, string? dir, CancellationToken ct)
    {
        if (inputIsTerminal)
        {
            output.Line("[grey]following the download: Ctrl-C returns to the prompt (the download carries on); lines typed meanwhile run afterwards[/]");
        }

        using var follow = interrupts.Follow(ct);
        try
        {
            await commands.DownloadAsync(hash, dir, json: false, follow.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            output.Line($"[grey]stopped following; the download carries on ('status' shows it, 'pause {Markup.Escape(hash)}' stops it)[/]");
        }
    }

    private static string? Query(string text) => text.Trim() is { Length: > 0 } query ? query : null;
}
