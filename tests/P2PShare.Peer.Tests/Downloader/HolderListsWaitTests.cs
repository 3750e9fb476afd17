using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.Connection;
using P2PShare.Peer.Downloader.HolderSources;

namespace P2PShare.Peer.Tests.Downloader;

/// <summary>
/// How long a download waits for its holder sources, on a fake clock: not for a slow source once another has named
/// holders (a DHT lookup waiting out dead contacts held every download start for its 2 s query timeout), and the
/// slow source's answer is used by the next call instead of being asked again.
/// </summary>
public sealed class HolderListsWaitTests
{
    private const string FileId = "0cc0f5b446b2ad74b381394e481f981f064142035f833f60da4e0822c082bbb1";
    private static readonly HolderCandidate FromTracker = Holder('a', HolderOrigin.Tracker);
    private static readonly HolderCandidate FromDht = Holder('b', HolderOrigin.Dht);

    [Fact]
    public async Task SlowSource_DoesNotHoldBackHoldersTheOtherNamed_AndItsAnswerJoinsTheNextCall()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var tracker = new Source(HolderOrigin.Tracker, () => Task.FromResult<IReadOnlyList<HolderCandidate>>([FromTracker]));
        var dhtAnswer = new TaskCompletionSource<IReadOnlyList<HolderCandidate>>();
        var dht = new Source(HolderOrigin.Dht, () => dhtAnswer.Task);
        var lists = new HolderLists([tracker, dht], time);

        var first = lists.FindAsync(FileId, ct);
        Assert.False(first.IsCompleted, "the DHT gets a grace to join in");
        time.Advance(HolderLists.Grace);
        var found = await first.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal([FromTracker.PeerId], found.Holders.Select(h => h.PeerId));
        Assert.Empty(found.Failures);

        dhtAnswer.SetResult([FromDht]);
        var next = await lists.FindAsync(FileId, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal([FromTracker.PeerId, FromDht.PeerId], next.Holders.Select(h => h.PeerId));
        Assert.Equal((2, 1), (tracker.Asked, dht.Asked));
    }

    [Fact]
    public async Task NoSourceNamedHolders_TheCallWaitsForTheSlowOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var dhtAnswer = new TaskCompletionSource<IReadOnlyList<HolderCandidate>>();
        var lists = new HolderLists([new Source(HolderOrigin.Tracker, () => Task.FromResult<IReadOnlyList<HolderCandidate>>([])), new Source(HolderOrigin.Dht, () => dhtAnswer.Task)], time);

        var call = lists.FindAsync(FileId, ct);
        time.Advance(HolderLists.Grace * 4);
        Assert.False(call.IsCompleted, "an empty answer starts no grace");
        dhtAnswer.SetResult([FromDht]);

        Assert.Equal(FromDht.PeerId, Assert.Single((await call.WaitAsync(TimeSpan.FromSeconds(10), ct)).Holders).PeerId);
    }

    [Fact]
    public async Task SourceThatNeverAnswers_IsNamedAfterItsTimeout_AndAskedAgainNextTime()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var silent = new Source(HolderOrigin.Dht, () => new TaskCompletionSource<IReadOnlyList<HolderCandidate>>().Task);
        var lists = new HolderLists([new Source(HolderOrigin.Tracker, () => Task.FromResult<IReadOnlyList<HolderCandidate>>([])), silent], time);

        var call = lists.FindAsync(FileId, ct);
        time.Advance(HolderLists.SourceTimeout);
        var found = await call.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Empty(found.Holders);
        Assert.Contains("no answer in 15 s", Assert.Single(found.Failures));
        _ = lists.FindAsync(FileId, ct);
        Assert.Equal(2, silent.Asked);
    }

    [Fact]
    public async Task SourceThatIgnoresItsTimeout_DoesNotHoldTheCallLongerThanTheTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var stuck = new Source(HolderOrigin.Dht, () => new TaskCompletionSource<IReadOnlyList<HolderCandidate>>().Task, honoursCancellation: false);
        var lists = new HolderLists([new Source(HolderOrigin.Tracker, () => Task.FromResult<IReadOnlyList<HolderCandidate>>([])), stuck], time);

        var call = lists.FindAsync(FileId, ct);
        time.Advance(HolderLists.SourceTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Empty((await call.WaitAsync(TimeSpan.FromSeconds(10), ct)).Holders);
    }

    private static HolderCandidate Holder(char id, HolderOrigin origin) =>
        new(new PeerContact(new string(id, 40), new byte[32], "127.0.0.1", 6881, [], AcceptsRelay: false), Complete: true, VerifiedChunks: 0, origin);

    private sealed class Source(HolderOrigin origin, Func<Task<IReadOnlyList<HolderCandidate>>> answer, bool honoursCancellation = true) : IHolderSource
    {
        public int Asked { get; private set; }

        public HolderOrigin Origin => origin;

        public async Task<IReadOnlyList<HolderCandidate>> FindAsync(string fileId, CancellationToken ct)
        {
            Asked++;
            return honoursCancellation ? await answer().WaitAsync(ct) : await answer();
        }
    }
}
