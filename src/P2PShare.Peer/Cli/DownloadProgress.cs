using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>
/// Follows one download until it completes, fails or pauses: a live bar on a terminal; otherwise a progress line
/// (or a JSON line) at the start, every few seconds, and at the end, as curl and wget do when not on a terminal.
/// <c>next</c> returns the download's state once it has finished or after the refresh interval, so the end is seen
/// at once rather than at the next tick.
/// </summary>
internal sealed class DownloadProgress(CliOutput output, TimeProvider time, bool json)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    private readonly FollowRate _rate = new(time);

    public async Task<DownloadView> FollowAsync(Func<TimeSpan, CancellationToken, Task<DownloadView>> next, CancellationToken cancellationToken)
    {
        if (output.IsTerminal && !json && output.Console.Profile.Capabilities.Interactive)
        {
            return await FollowLiveAsync(next, cancellationToken);
        }

        var last = await next(TimeSpan.Zero, cancellationToken);
        _rate.Add(last.BytesDone);
        long lastLine = long.MinValue;
        while (true)
        {
            if (IsFinished(last) || lastLine == long.MinValue || time.GetElapsedTime(lastLine) >= LineInterval)
            {
                Report(last);
                lastLine = time.GetTimestamp();
            }

            if (IsFinished(last))
            {
                return last;
            }

            last = await next(RefreshInterval, cancellationToken);
            _rate.Add(last.BytesDone);
        }
    }

    private async Task<DownloadView> FollowLiveAsync(Func<TimeSpan, CancellationToken, Task<DownloadView>> next, CancellationToken cancellationToken)
    {
        DownloadView last = await next(TimeSpan.Zero, cancellationToken);
        _rate.Add(last.BytesDone);
        await output.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(last.Name), maxValue: Math.Max(1, last.Size));
                while (!IsFinished(last))
                {
                    task.Value = last.BytesDone;
                    task.Description = $"{Markup.Escape(last.Name)} [grey]({Markup.Escape(Details(last))})[/]";
                    last = await next(RefreshInterval, cancellationToken);
                    _rate.Add(last.BytesDone);
                }

                task.Value = last.State == "completed" ? task.MaxValue : last.BytesDone;
                task.Description = Markup.Escape(last.Name);
            });
        return last;
    }

    private void Report(DownloadView d)
    {
        if (json)
        {
            output.JsonLine(new DownloadProgressLine(
                d.Hash, d.Name, d.State, d.Size, d.BytesDone, d.VerifiedChunks, d.ChunkCount, _rate.BytesPerSecond, d.Peers, _rate.Remaining(d.Size - d.BytesDone)?.TotalSeconds, d.Path, d.Error));
            return;
        }

        output.Text($"{d.Name}: {ConsoleViews.Percent(d)}% ({ConsoleViews.Bytes(d.BytesDone)} of {ConsoleViews.Bytes(d.Size)}, {Details(d)})");
    }

    /// <summary>Rate, holders and time left while running; just the state once it has ended.</summary>
    private string Details(DownloadView d)
    {
        if (d.State != "active")
        {
            return d.State;
        }

        if (d.BytesDone >= d.Size)
        {
            return "verified, finishing";
        }

        string eta = _rate.Remaining(d.Size - d.BytesDone) is { } left ? ConsoleViews.Duration(left) : "unknown";
        return $"{ConsoleViews.Bytes((long)_rate.BytesPerSecond)}/s, {ConsoleViews.Peers(d.Peers)}, ETA {eta}";
    }

    private static bool IsFinished(DownloadView view) => view.State is "completed" or "failed" or "paused";
}
