using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>Follows one download until it completes or fails: a live bar on a terminal, plain lines otherwise.</summary>
internal static class DownloadProgress
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<DownloadView> FollowAsync(IAnsiConsole console, Func<CancellationToken, Task<DownloadView>> poll, CancellationToken cancellationToken)
    {
        if (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            DownloadView last = await poll(cancellationToken);
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(last.Name), maxValue: Math.Max(1, last.Size));
                    while (!IsFinished(last))
                    {
                        task.Value = last.BytesDone;
                        task.Description = $"{Markup.Escape(last.Name)} [grey]({last.Peers} peers, {last.State})[/]";
                        await Task.Delay(PollInterval, cancellationToken);
                        last = await poll(cancellationToken);
                    }

                    task.Value = last.State == "completed" ? task.MaxValue : last.BytesDone;
                });
            return last;
        }

        return await FollowPlainAsync(console, poll, cancellationToken);
    }

    private static async Task<DownloadView> FollowPlainAsync(IAnsiConsole console, Func<CancellationToken, Task<DownloadView>> poll, CancellationToken cancellationToken)
    {
        var last = await poll(cancellationToken);
        int lastTenth = -1;
        while (true)
        {
            int tenth = last.ChunkCount == 0 ? 10 : last.VerifiedChunks * 10 / last.ChunkCount;
            if (tenth != lastTenth)
            {
                console.WriteLine($"{last.Name}: {ConsoleViews.Percent(last)}% ({ConsoleViews.Bytes(last.BytesDone)} of {ConsoleViews.Bytes(last.Size)}, {ConsoleViews.Bytes((long)last.RateBytesPerSecond)}/s, {last.Peers} peers, {last.State})");
                lastTenth = tenth;
            }

            if (IsFinished(last))
            {
                return last;
            }

            await Task.Delay(PollInterval, cancellationToken);
            last = await poll(cancellationToken);
        }
    }

    private static bool IsFinished(DownloadView view) => view.State is "completed" or "failed" or "paused";
}
