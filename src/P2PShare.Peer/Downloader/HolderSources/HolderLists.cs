namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>
/// Asks every holder source at once and merges their answers, one entry per peer ID. A source that fails or is
/// slower than <see cref="SourceTimeout"/> is left out and named in <see cref="MergedHolders.Failures"/>, so a
/// download keeps finding holders while either the tracker or the DHT is down.
/// </summary>
internal sealed class HolderLists(IReadOnlyList<IHolderSource> sources, TimeProvider time)
{
    /// <summary>A DHT lookup through dead contacts can take many query timeouts; a download does not wait longer.</summary>
    public static readonly TimeSpan SourceTimeout = TimeSpan.FromSeconds(15);

    /// <summary>No source gets to flood a download: at most this many holders per source and answer.</summary>
    public const int MaxHoldersPerSource = 200;

    public HolderSourceStats Stats { get; } = new();

    public async Task<MergedHolders> FindAsync(string fileId, CancellationToken ct)
    {
        var answers = await Task.WhenAll(sources.Select(s => AskAsync(s, fileId, ct)));
        ct.ThrowIfCancellationRequested();
        var merged = Merge(answers.Where(a => a.Holders is not null).SelectMany(a => a.Holders!));
        Stats.Record(merged);
        return new MergedHolders(merged, [.. answers.Where(a => a.Error is not null).Select(a => a.Error!)]);
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

    private async Task<SourceAnswer> AskAsync(IHolderSource source, string fileId, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(SourceTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var holders = await source.FindAsync(fileId, linked.Token);
            return new SourceAnswer([.. holders.Take(MaxHoldersPerSource)], null);
        }
        catch (HolderSourceException ex)
        {
            return new SourceAnswer(null, ex.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new SourceAnswer(null, $"{source.Origin}: no answer in {SourceTimeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new SourceAnswer(null, $"{source.Origin}: cancelled");
        }
    }

    private sealed record SourceAnswer(IReadOnlyList<HolderCandidate>? Holders, string? Error);
}

/// <summary>The merged holders of a file and why any source did not answer; all sources failed when it is empty and every source named.</summary>
internal sealed record MergedHolders(IReadOnlyList<HolderCandidate> Holders, IReadOnlyList<string> Failures)
{
    public bool AllFailed(int sourceCount) => Failures.Count == sourceCount;
}
