namespace P2PShare.Peer.Storage;

/// <summary>
/// Group commit for chunk bits: callers that arrive while a commit is running join the next batch, and one of them
/// commits the whole batch (one fsync and one state.db transaction for many chunks). Every caller returns only after
/// the batch holding its index has been committed, or throws the batch's failure.
/// </summary>
internal sealed class GroupCommitter(Func<IReadOnlyList<int>, Task> commit)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();
    private List<int> _pending = [];
    private TaskCompletionSource? _batch;

    /// <summary>Number of batches committed so far (each one fsync plus one transaction).</summary>
    public int BatchCount { get; private set; }

    /// <summary>
    /// Commits <paramref name="index"/> together with whatever else is waiting. When cancelled while waiting, the index
    /// stays queued and is committed with the next batch.
    /// </summary>
    public async Task CommitAsync(int index, CancellationToken cancellationToken)
    {
        Task mine;
        lock (_lock)
        {
            _pending.Add(index);
            _batch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            mine = _batch.Task;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!mine.IsCompleted)
            {
                await CommitPendingAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        await mine.ConfigureAwait(false);
    }

    /// <summary>Waits for any running commit to finish and commits what is queued.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Task committed;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            committed = await CommitPendingAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        await committed.ConfigureAwait(false);
    }

    /// <summary>Commits the queued batch; returns the batch's task (completed, or faulted with the failure).</summary>
    private async Task<Task> CommitPendingAsync()
    {
        List<int> batch;
        TaskCompletionSource? done;
        lock (_lock)
        {
            batch = _pending;
            done = _batch;
            _pending = [];
            _batch = null;
        }

        if (done is null)
        {
            return Task.CompletedTask;
        }

        try
        {
            await commit(batch).ConfigureAwait(false);
            BatchCount++;
            done.SetResult();
        }
        catch (Exception ex)
        {
            done.SetException(ex);
        }

        return done.Task;
    }
}
