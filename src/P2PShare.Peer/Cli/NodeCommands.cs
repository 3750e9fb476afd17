using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>
/// The verbs themselves, shared by the interactive shell and the one-shot command line. Each returns an exit
/// code and prints a one-line error instead of throwing when the node refuses. <paramref name="inShell"/> picks
/// the wording of hints (<c>resume &lt;hash&gt;</c> in the shell, <c>peer resume &lt;hash&gt;</c> on the command line).
/// </summary>
internal sealed class NodeCommands(INodeApi api, CliOutput output, bool inShell)
{
    private string Verb(string words) => inShell ? words : "peer " + words;

    public Task<int> ShareAsync(string path, CancellationToken ct) => RunAsync(async () =>
    {
        var shared = await api.ShareAsync(path, ct);
        output.Line($"sharing [bold]{Markup.Escape(shared.Name)}[/] ({ConsoleViews.Bytes(shared.Size)})");
        output.Text(shared.Hash);
    });

    /// <summary>Files on the network; <paramref name="limit"/> null lists every one.</summary>
    public Task<int> ListAsync(string? query, int? limit, bool json, CancellationToken ct) =>
        RunAsync(() => ShowFilesAsync(output, (size, offset, c) => api.NetworkFilesAsync(query, size, offset, c), query, limit, json, Verb("list --all"), ct));

    /// <summary>Prints one listing, then (on standard error) how many files it left out and how to see them.</summary>
    public static async Task ShowFilesAsync(
        CliOutput output, Func<int, int, CancellationToken, Task<FileListResponse>> page, string? query, int? limit, bool json, string seeAll, CancellationToken ct)
    {
        var files = await NetworkFileList.FetchAsync(page, limit, ct);
        if (json)
        {
            output.Json(files);
            return;
        }

        ConsoleViews.NetworkFiles(output, files.Files, query);
        int hidden = files.Total - files.Files.Count;
        if (hidden > 0)
        {
            await Console.Error.WriteLineAsync($"{hidden} more {(hidden == 1 ? "file" : "files")} not shown ({files.Total} in all): '{seeAll}' shows every one, '--limit N' the first N");
        }
    }

    public Task<int> StatusAsync(bool json, CancellationToken ct) => RunAsync(async () =>
    {
        var status = await api.StatusAsync(ct);
        var connections = await api.ConnectionsAsync(ct);
        var downloads = await api.DownloadsAsync(ct);
        if (json)
        {
            output.Json(new StatusDocument(status, connections, downloads));
            return;
        }

        ConsoleViews.Status(output, status, connections, downloads);
    });

    public Task<int> PeersAsync(bool json, CancellationToken ct) => RunAsync(async () =>
    {
        var connections = await api.ConnectionsAsync(ct);
        if (json)
        {
            output.Json(new PeersDocument(connections));
            return;
        }

        ConsoleViews.Connections(output, connections);
    });

    public Task<int> PauseAsync(string hash, CancellationToken ct) => RunAsync(async () =>
    {
        var view = await api.PauseAsync(hash, ct);
        output.Text(view.State switch
        {
            "completed" => $"{view.Name}: already complete, nothing to pause",
            "failed" => $"{view.Name}: failed ({view.Error}); '{Verb("resume " + view.Hash)}' tries again",
            _ => $"{view.Name}: paused; '{Verb("resume " + view.Hash)}' carries on from its verified chunks",
        });
    });

    public Task<int> ResumeAsync(string hash, CancellationToken ct) => RunAsync(async () =>
    {
        var view = await api.ResumeAsync(hash, ct);
        output.Text(view.State == "completed" ? $"{view.Name}: already complete" : $"{view.Name}: resumed");
    });

    /// <summary>Shows the limits, or changes one side (<paramref name="direction"/> "up" or "down").</summary>
    public Task<int> LimitAsync(string? direction, string? rate, CancellationToken ct) => RunAsync(async () =>
    {
        if (direction is not null && rate is null)
        {
            throw new InvalidOperationException($"limit {direction} needs a rate, e.g. 10MB, 512KiB or 0 for unlimited");
        }

        var limits = direction switch
        {
            null => await api.LimitsAsync(ct),
            "up" => await api.SetLimitsAsync(rate, null, ct),
            "down" => await api.SetLimitsAsync(null, rate, ct),
            _ => throw new InvalidOperationException($"limit takes 'up' or 'down', not '{direction}'"),
        };
        output.Text($"upload {limits.Up}, download {limits.Down}");
    });

    /// <summary>
    /// Starts a download and follows it to the end; exit code 0 only when the file is complete and verified (and,
    /// with <paramref name="outputDir"/>, in that directory), 2 when <paramref name="outputDir"/> is not a directory.
    /// </summary>
    public async Task<int> DownloadAsync(string hash, string? outputDir, bool json, CancellationToken ct)
    {
        if (outputDir is not null && File.Exists(outputDir))
        {
            await Console.Error.WriteLineAsync($"error: {outputDir} is a file; -o takes the directory to put the download in");
            return 2;
        }

        int code = 1;
        int started = await RunAsync(async () =>
        {
            var view = await api.StartDownloadAsync(hash, outputDir, ct);
            view = await new DownloadProgress(output, TimeProvider.System, json).FollowAsync((wait, c) => api.WaitDownloadAsync(view.Hash, wait, c), ct);
            if (view.State == "completed")
            {
                if (view.Path is null && outputDir is not null)
                {
                    // The final path is recorded a moment after the state turns completed.
                    view = await api.DownloadAsync(view.Hash, ct);
                }

                string path = await DownloadCopy.IntoAsync(view, outputDir, ct);
                if (!json)
                {
                    output.Line($"[green]done[/]: {Markup.Escape(path)} ({ConsoleViews.Bytes(view.Size)}, every chunk verified)");
                }

                code = 0;
            }
            else if (view.State == "paused")
            {
                await Console.Error.WriteLineAsync($"download {view.Hash} was paused; '{Verb("resume " + view.Hash)}' carries on from its verified chunks");
            }
            else
            {
                await Console.Error.WriteLineAsync($"download of {view.Name} ({view.Hash}) failed: {view.Error ?? view.State}");
            }
        });
        return started == 0 ? code : started;
    }

    private static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }
}
