using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>
/// Follows one download until it completes, fails or pauses: a live bar on a terminal, plain lines otherwise.
/// <c>next</c> returns the download's state once it has finished or after the refresh interval, so the end is seen
/// at once rather than at the next tick.
/// </summary>
internal static class DownloadProgress
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<DownloadView> FollowAsync(IAnsiConsole console, Func<TimeSpan, CancellationToken, Task<DownloadView>> next, CancellationToken cancellationToken)
    {
        if (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            DownloadView last = await next(TimeSpan.Zero, cancellationToken);
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(last.Name), maxValue: Math.Max(1, last.Size));
                    while (!IsFinished(last))
                    {
                        task.Value = last.BytesDone;
                        task.Description = $"{Markup.Escape(last.Name)} [grey]({last.Peers} peers, {last.State})[/]";
                        last = await next(RefreshInterval, cancellationToken);
                    }

                    task.Value = last.State == "completed" ? task.MaxValue : last.BytesDone;
                });
            return last;
        }

        return await FollowPlainAsync(console, next, cancellationToken);
    }

    private static async Task<DownloadView> FollowPlainAsync(IAnsiConsole console, Func<TimeSpan, CancellationToken, Task<DownloadView>> next, CancellationToken cancellationToken)
    {
        var last = await next(TimeSpan.Zero, cancellationToken);
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

            last = await next(RefreshInterval, cancellationToken);
        }
    }

    private static bool IsFinished(DownloadView view) => view.State is "completed" or "failed" or "paused";
}
