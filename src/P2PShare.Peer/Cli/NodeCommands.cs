using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>
/// The verbs themselves, shared by the interactive shell and the one-shot command line. Each returns an exit
/// code and prints a one-line error instead of throwing when the node refuses.
/// </summary>
internal sealed class NodeCommands(INodeApi api, IAnsiConsole console)
{
    public Task<int> ShareAsync(string path, CancellationToken ct) => RunAsync(async () =>
    {
        var shared = await api.ShareAsync(path, ct);
        console.MarkupLine($"sharing [bold]{Markup.Escape(shared.Name)}[/] ({ConsoleViews.Bytes(shared.Size)})");
        console.WriteLine(shared.Hash);
    });

    public Task<int> ListAsync(string? query, CancellationToken ct) => RunAsync(async () =>
        ConsoleViews.NetworkFiles(console, await api.NetworkFilesAsync(query, ct)));

    public Task<int> StatusAsync(CancellationToken ct) => RunAsync(async () =>
        ConsoleViews.Status(console, await api.StatusAsync(ct), await api.DownloadsAsync(ct)));

    public Task<int> PeersAsync(CancellationToken ct) => RunAsync(async () =>
        ConsoleViews.Connections(console, await api.ConnectionsAsync(ct)));

    public Task<int> PauseAsync(string hash, CancellationToken ct) => RunAsync(async () =>
        console.WriteLine($"{(await api.PauseAsync(hash, ct)).Name}: paused"));

    public Task<int> ResumeAsync(string hash, CancellationToken ct) => RunAsync(async () =>
        console.WriteLine($"{(await api.ResumeAsync(hash, ct)).Name}: resumed"));

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
        console.WriteLine($"upload {limits.Up}, download {limits.Down}");
    });

    /// <summary>Starts a download and follows it to the end; exit code 0 only when the file is complete and verified.</summary>
    public async Task<int> DownloadAsync(string hash, string? outputDir, CancellationToken ct)
    {
        int code = 1;
        int started = await RunAsync(async () =>
        {
            var view = await api.StartDownloadAsync(hash, outputDir, ct);
            view = await DownloadProgress.FollowAsync(console, (wait, c) => api.WaitDownloadAsync(view.Hash, wait, c), ct);
            if (view.State == "completed")
            {
                console.MarkupLine($"[green]done[/]: {Markup.Escape(view.Path ?? view.Name)} ({ConsoleViews.Bytes(view.Size)}, every chunk verified)");
                code = 0;
            }
            else if (view.State == "paused")
            {
                await Console.Error.WriteLineAsync($"download {view.Hash} was paused; 'peer resume {view.Hash}' carries on from its verified chunks");
            }
            else
            {
                await Console.Error.WriteLineAsync($"download {view.Hash} failed: {view.Error ?? view.State}");
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
