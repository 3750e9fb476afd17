using System.Runtime.ExceptionServices;

namespace P2PShare.Peer.Storage;

/// <summary>
/// Makes written chunks durable in the background: one commit (fsync of the data, then one state.db transaction
/// for the chunks' bits) per batch. A batch closes when it holds <see cref="BatchSize"/> chunks or its oldest chunk
/// has waited <see cref="MaxDelay"/>, so a fast download pays one fsync per 8 MiB instead of one per chunk and the
/// network never waits for the disk. A crash loses at most the chunks not yet committed; they are fetched again.
/// Writers wait only when <see cref="MaxUncommitted"/> chunks are still uncommitted (a disk slower than the
/// network). After a failed commit every later call throws that failure.
/// </summary>
internal sealed class ChunkCommitter : IAsyncDisposable
{
    public const int BatchSize = 32;
    public const int MaxUncommitted = 4 * BatchSize;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(250);

    private readonly Func<IReadOnlyList<int>, Task> _commit;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Task _loop;
    private List<int> _pending = [];
    private long _oldestPendingAt;
    private int _committing;
    private bool _flushNow;
    private bool _stopping;
    private TaskCompletionSource _nextBatch = NewSignal();
    private TaskCompletionSource? _runningBatch;
    private TaskCompletionSource? _wake;
    private ExceptionDispatchInfo? _failure;

    public ChunkCommitter(Func<IReadOnlyList<int>, Task> commit, TimeProvider time)
    {
        _commit = commit;
        _time = time;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Number of batches committed so far (each one fsync plus one transaction).</summary>
    public int BatchCount { get; private set; }

    /// <summary>Queues chunk <paramref name="index"/> (already written) for the next batch.</summary>
    public async ValueTask AddAsync(int index, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task full;
            lock (_lock)
            {
                _failure?.Throw();
                ObjectDisposedException.ThrowIf(_stopping, this);
                if (_pending.Count + _committing < MaxUncommitted)
                {
                    _pending.Add(index);
                    if (_pending.Count == 1)
                    {
                        _oldestPendingAt = _time.GetTimestamp();
                    }

                    if (_pending.Count is 1 or BatchSize)
                    {
                        _wake?.TrySetResult();
                    }

                    return;
                }

                full = _runningBatch?.Task ?? _nextBatch.Task;
            }

            await full.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commits everything queued now and returns once it is durable (or throws why not).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Task done;
        lock (_lock)
        {
            _failure?.Throw();
            if (_pending.Count == 0)
            {
                done = _runningBatch?.Task ?? Task.CompletedTask;
            }
            else
            {
                _flushNow = true;
                _wake?.TrySetResult();
                done = _nextBatch.Task;
            }
        }

        await done.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits what is queued and stops; a failure of that last commit is left for the caller to log.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _stopping = true;
            _wake?.TrySetResult();
        }

        await _loop.ConfigureAwait(false);
        lock (_lock)
        {
            _failure?.Throw();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            Task wake;
            TimeSpan due;
            lock (_lock)
            {
                if (_pending.Count == 0 && _stopping)
                {
                    return;
                }

                due = TimeUntilDue();
                _wake = due == TimeSpan.Zero ? null : NewSignal();
                wake = _wake?.Task ?? Task.CompletedTask;
            }

            if (due == TimeSpan.Zero)
            {
                await CommitBatchAsync().ConfigureAwait(false);
            }
            else
            {
                await (due == Timeout.InfiniteTimeSpan ? wake : Task.WhenAny(wake, Task.Delay(due, _time))).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How long the pending batch may still wait: zero when it must go now, infinite when nothing is pending. Under the lock.</summary>
    private TimeSpan TimeUntilDue()
    {
        if (_pending.Count == 0)
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (_flushNow || _stopping || _pending.Count >= BatchSize)
        {
            return TimeSpan.Zero;
        }

        var left = MaxDelay - _time.GetElapsedTime(_oldestPendingAt);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task CommitBatchAsync()
    {
        List<int> batch;
        TaskCompletionSource done;
        lock (_lock)
        {
            batch = _pending;
            _pending = [];
            _committing = batch.Count;
            _flushNow = false;
            done = _nextBatch;
            _runningBatch = done;
            _nextBatch = NewSignal();
        }

        Exception? failure = null;
        try
        {
            if (_failure is null)
            {
                await _commit(batch).ConfigureAwait(false);
                BatchCount++;
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        lock (_lock)
        {
            _committing = 0;
            _runningBatch = null;
            if (failure is not null)
            {
                _failure ??= ExceptionDispatchInfo.Capture(failure);
            }
        }

        if (_failure is { } recorded)
        {
            done.TrySetException(recorded.SourceException);
        }
        else
        {
            done.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
