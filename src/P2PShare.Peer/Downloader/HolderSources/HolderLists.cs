namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>
/// Asks every holder source at once and merges their answers, one entry per peer ID. A source that fails or is
/// slower than <see cref="SourceTimeout"/> is left out and named in <see cref="MergedHolders.Failures"/>, so a
/// download keeps finding holders while either the tracker or the DHT is down. Once one source has named holders,
/// the others get <see cref="Grace"/> to join in; a source still asking after that (a DHT lookup waiting out dead
/// contacts) keeps going, and its answer is merged into the next call for the same file, so a download never
/// waits for the slowest source to start.
/// </summary>
internal sealed class HolderLists(IReadOnlyList<IHolderSource> sources, TimeProvider time)
{
    /// <summary>A DHT lookup through dead contacts can take many query timeouts; a download does not wait longer.</summary>
    public static readonly TimeSpan SourceTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long the other sources may still answer once one has named holders.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(250);

    /// <summary>No source gets to flood a download: at most this many holders per source and answer.</summary>
    public const int MaxHoldersPerSource = 200;

    /// <summary>Questions still open (or answered and not yet used) are kept for at most this many files.</summary>
    private const int MaxFilesInFlight = 256;

    /// <summary>Per file, when the questions were asked and each source's open question (null once its answer was used).</summary>
    private readonly Dictionary<string, (long AskedAt, Task<SourceAnswer>?[] Questions)> _inFlight = new(StringComparer.OrdinalIgnoreCase);

    public HolderSourceStats Stats { get; } = new();

    public async Task<MergedHolders> FindAsync(string fileId, CancellationToken ct)
    {
        var asking = Questions(fileId);
        List<Task<SourceAnswer>> answered;
        try
        {
            await WaitForAnswersAsync(asking, ct);
        }
        finally
        {
            answered = Consume(fileId, asking);
        }

        ct.ThrowIfCancellationRequested();
        var answers = answered.Select(t => t.GetAwaiter().GetResult()).ToList();
        var merged = Merge(answers.Where(a => a.Holders is not null).SelectMany(a => a.Holders!));
        Stats.Record(merged);
        return new MergedHolders(merged, [.. answers.Where(a => a.Error is not null).Select(a => a.Error!)]);
    }

    /// <summary>The answered questions, no longer kept; questions still open stay for the next call.</summary>
    private List<Task<SourceAnswer>> Consume(string fileId, Task<SourceAnswer>[] asking)
    {
        lock (_inFlight)
        {
            var answered = asking.Where(t => t.IsCompleted).ToList();
            if (_inFlight.TryGetValue(fileId, out var kept))
            {
                if (kept.Questions.All(t => t is null || answered.Contains(t)))
                {
                    _inFlight.Remove(fileId);
                }
                else
                {
                    _inFlight[fileId] = (kept.AskedAt, [.. kept.Questions.Select(t => t is not null && !answered.Contains(t) ? t : null)]);
                }
            }

            return answered;
        }
    }

    /// <summary>Every source's open question about <paramref name="fileId"/>, asking anew those without one.</summary>
    private Task<SourceAnswer>[] Questions(string fileId)
    {
        lock (_inFlight)
        {
            // A question kept past its timeout was left by a download that stopped asking; its answer is stale.
            foreach (string stale in _inFlight.Where(e => time.GetElapsedTime(e.Value.AskedAt) > SourceTimeout).Select(e => e.Key).ToList())
            {
                _inFlight.Remove(stale);
            }

            var kept = _inFlight.TryGetValue(fileId, out var entry) ? entry.Questions : null;
            Task<SourceAnswer>[] asking = [.. sources.Select((source, i) => kept?[i] ?? Ask(source, fileId))];
            if (kept is not null || _inFlight.Count < MaxFilesInFlight)
            {
                _inFlight[fileId] = (kept is null || kept.Any(t => t is null) ? time.GetTimestamp() : entry.AskedAt, asking);
            }

            return asking;
        }
    }

    /// <summary>
    /// Until every source answered, or one named holders and the grace after it ran out; never longer than
    /// <see cref="SourceTimeout"/>, even for a source that does not keep its own timeout.
    /// </summary>
    private async Task WaitForAnswersAsync(Task<SourceAnswer>[] asking, CancellationToken ct)
    {
        using var limit = new CancellationTokenSource(SourceTimeout, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            await WaitForAnswersUntilAsync(asking, ct, wait.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // The questions still open stay kept for the next call (or until they are stale).
        }
    }

    private async Task WaitForAnswersUntilAsync(Task<SourceAnswer>[] asking, CancellationToken ct, CancellationToken until)
    {
        Task? grace = null;
        while (!asking.All(t => t.IsCompleted))
        {
            if (grace is null && asking.Any(t => t.IsCompleted && t.Result.Holders is { Count: > 0 }))
            {
                grace = Task.Delay(Grace, time, ct);
            }

            List<Task> open = [.. asking.Where(t => !t.IsCompleted)]; // a list: all may complete before WhenAny would enumerate a query
            if (open.Count == 0)
            {
                return;
            }

            var next = await Task.WhenAny(grace is null ? open : [.. open, grace]).WaitAsync(until);
            if (next == grace)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One entry per peer ID. The first source's entry wins (the tracker's, which knows LAN addresses and relay
    /// support); the others add their origin, and a holder any source calls complete counts as complete.
    /// </summary>
    public static IReadOnlyList<HolderCandidate> Merge(IEnumerable<HolderCandidate> candidates)
    {
        var byPeer = new Dictionary<string, HolderCandidate>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var candidate in candidates)
        {
            if (byPeer.TryGetValue(candidate.PeerId, out var known))
            {
                byPeer[candidate.PeerId] = known with
                {
                    Origin = known.Origin | candidate.Origin,
                    Complete = known.Complete || candidate.Complete,
                    VerifiedChunks = Math.Max(known.VerifiedChunks, candidate.VerifiedChunks),
                };
            }
            else
            {
                byPeer[candidate.PeerId] = candidate;
                order.Add(candidate.PeerId);
            }
        }

        return [.. order.Select(id => byPeer[id])];
    }

    /// <summary>
    /// One question to one source, bounded by <see cref="SourceTimeout"/> and not by any one download's token: the
    /// answer may serve the next call. It never throws; a failure is the answer's error.
    /// </summary>
    private async Task<SourceAnswer> Ask(IHolderSource source, string fileId)
    {
        using var timeout = new CancellationTokenSource(SourceTimeout, time);
        try
        {
            var holders = await source.FindAsync(fileId, timeout.Token);
            return new SourceAnswer([.. holders.Take(MaxHoldersPerSource)], null);
        }
        catch (HolderSourceException ex)
        {
            return new SourceAnswer(null, ex.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new SourceAnswer(null, $"{source.Origin}: no answer in {SourceTimeout.TotalSeconds:0} s");
        }
        catch (ObjectDisposedException)
        {
            return new SourceAnswer(null, $"{source.Origin}: stopped");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new SourceAnswer(null, $"{source.Origin}: {ex.Message}");
        }
    }

    private sealed record SourceAnswer(IReadOnlyList<HolderCandidate>? Holders, string? Error);
}

/// <summary>The merged holders of a file and why any source did not answer; all sources failed when it is empty and every source named.</summary>
internal sealed record MergedHolders(IReadOnlyList<HolderCandidate> Holders, IReadOnlyList<string> Failures)
{
    public bool AllFailed(int sourceCount) => Failures.Count == sourceCount;
}
