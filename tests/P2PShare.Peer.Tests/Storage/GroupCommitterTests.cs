using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class GroupCommitterTests
{
    [Fact]
    public async Task CommitAsync_CallersArriveDuringCommit_JoinOneBatch()
    {
        using var timeout = StorageFixture.Timeout();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<int[]>();
        var committer = new GroupCommitter(async batch =>
        {
            batches.Add([.. batch]);
            firstStarted.TrySetResult();
            await release.Task;
        });

        var first = committer.CommitAsync(0, timeout.Token);
        await firstStarted.Task.WaitAsync(timeout.Token);
        var waiting = Enumerable.Range(1, 5).Select(i => committer.CommitAsync(i, timeout.Token)).ToArray();
        release.SetResult();
        await Task.WhenAll([first, .. waiting]).WaitAsync(timeout.Token);

        Assert.Equal(2, committer.BatchCount);
        Assert.Equal([0], batches[0]);
        Assert.Equal([1, 2, 3, 4, 5], batches[1].Order());
    }

    [Fact]
    public async Task CommitAsync_CommitFails_EveryCallerInBatchSeesIt()
    {
        using var timeout = StorageFixture.Timeout();
        var committer = new GroupCommitter(_ => throw new IOException("disk on fire"));

        var ex = await Assert.ThrowsAsync<IOException>(() => committer.CommitAsync(3, timeout.Token));

        Assert.Equal("disk on fire", ex.Message);
        Assert.Equal(0, committer.BatchCount);
    }

    [Fact]
    public async Task DrainAsync_NothingQueued_CompletesWithoutCommit()
    {
        using var timeout = StorageFixture.Timeout();
        int calls = 0;
        var committer = new GroupCommitter(_ =>
        {
            calls++;
            return Task.CompletedTask;
        });

        await committer.DrainAsync(timeout.Token);

        Assert.Equal(0, calls);
    }
}
