using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class ChunkCommitterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<int[]> _batches = [];
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task AddAsync_FullBatch_CommitsWithoutWaitingForTheClock()
    {
        using var timeout = StorageFixture.Timeout();
        await using var committer = new ChunkCommitter(Record, _time);

        for (int i = 0; i < ChunkCommitter.BatchSize; i++)
        {
            await committer.AddAsync(i, timeout.Token);
        }

        await _committed.Task.WaitAsync(timeout.Token);
        Assert.Equal(Enumerable.Range(0, ChunkCommitter.BatchSize), Batches().Single().Order());
    }

    [Fact]
    public async Task AddAsync_FewChunks_CommittedOnlyAfterMaxDelay()
    {
        using var timeout = StorageFixture.Timeout();
        await using var committer = new ChunkCommitter(Record, _time);

        await committer.AddAsync(7, timeout.Token);
        await committer.AddAsync(3, timeout.Token);
        await Task.Delay(50, TestContext.Current.CancellationToken); // real time passes, the fake clock does not
        Assert.Empty(Batches());

        _time.Advance(ChunkCommitter.MaxDelay);
        await _committed.Task.WaitAsync(timeout.Token);

        Assert.Equal([3, 7], Batches().Single().Order());
    }

    [Fact]
    public async Task FlushAsync_PendingChunks_CommitsThemAtOnce()
    {
        using var timeout = StorageFixture.Timeout();
        await using var committer = new ChunkCommitter(Record, _time);
        await committer.AddAsync(1, timeout.Token);

        await committer.FlushAsync(timeout.Token);

        Assert.Equal([1], Batches().Single());
        Assert.Equal(1, committer.BatchCount);
    }

    [Fact]
    public async Task FlushAsync_NothingQueued_CompletesWithoutCommit()
    {
        using var timeout = StorageFixture.Timeout();
        await using var committer = new ChunkCommitter(Record, _time);

        await committer.FlushAsync(timeout.Token);

        Assert.Empty(Batches());
    }

    [Fact]
    public async Task DisposeAsync_PendingChunks_CommitsThemBeforeStopping()
    {
        using var timeout = StorageFixture.Timeout();
        var committer = new ChunkCommitter(Record, _time);
        await committer.AddAsync(4, timeout.Token);

        await committer.DisposeAsync().AsTask().WaitAsync(timeout.Token);

        Assert.Equal([4], Batches().Single());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => committer.AddAsync(5, timeout.Token).AsTask());
    }

    [Fact]
    public async Task CommitFails_FlushAndLaterAddsSeeTheFailure()
    {
        using var timeout = StorageFixture.Timeout();
        var committer = new ChunkCommitter(_ => throw new IOException("disk on fire"), _time);
        await committer.AddAsync(3, timeout.Token);

        var flush = await Assert.ThrowsAsync<IOException>(() => committer.FlushAsync(timeout.Token));
        var add = await Assert.ThrowsAsync<IOException>(() => committer.AddAsync(4, timeout.Token).AsTask());

        Assert.Equal("disk on fire", flush.Message);
        Assert.Equal("disk on fire", add.Message);
        Assert.Equal(0, committer.BatchCount);
        await Assert.ThrowsAsync<IOException>(() => committer.DisposeAsync().AsTask());
    }

    [Fact]
    public async Task AddAsync_DiskSlowerThanNetwork_WaitsOnceTooManyAreUncommitted()
    {
        using var timeout = StorageFixture.Timeout();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var committer = new ChunkCommitter(
            async batch =>
            {
                await release.Task;
                await Record(batch);
            },
            _time);

        for (int i = 0; i < ChunkCommitter.MaxUncommitted; i++)
        {
            await committer.AddAsync(i, timeout.Token);
        }

        var blocked = committer.AddAsync(ChunkCommitter.MaxUncommitted, timeout.Token).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken); // a real pause: the add must still be waiting
        Assert.False(blocked.IsCompleted);

        release.SetResult();
        await blocked.WaitAsync(timeout.Token);
        await committer.FlushAsync(timeout.Token);
        Assert.Equal(Enumerable.Range(0, ChunkCommitter.MaxUncommitted + 1), Batches().SelectMany(b => b).Order());
    }

    private Task Record(IReadOnlyList<int> batch)
    {
        lock (_batches)
        {
            _batches.Add([.. batch]);
        }

        _committed.TrySetResult();
        return Task.CompletedTask;
    }

    private List<int[]> Batches()
    {
        lock (_batches)
        {
            return [.. _batches];
        }
    }
}
