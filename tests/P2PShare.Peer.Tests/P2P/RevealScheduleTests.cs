using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Chunking;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.P2P;

/// <summary>Which chunks of a whole file each remote is told of (super-seeding), on a fake clock.</summary>
public sealed class RevealScheduleTests
{
    private const string File = "f";
    private const int Chunk = ChunkLayout.DefaultChunkSize;

    private readonly FakeTimeProvider _clock = new();
    private readonly RevealSchedule _schedule;

    public RevealScheduleTests() => _schedule = new RevealSchedule(_clock, new Random(7));

    private static List<int> Set(ChunkBitmap bits) => [.. Enumerable.Range(0, bits.Count).Where(bits.Get)];

    [Fact]
    public void Start_SeveralRemotes_EachIsToldOfItsOwnChunksOfTheFirstCopy()
    {
        var told = Enumerable.Range(0, 4).Select(_ => Set(_schedule.Start(File, new ChunkBitmap(256)).Bitfield)).ToList();

        Assert.All(told, t => Assert.Equal(RevealSchedule.InitialOpen, t.Count));
        Assert.Equal(4 * RevealSchedule.InitialOpen, told.SelectMany(t => t).Distinct().Count());
    }

    [Fact]
    public void Start_FileSmallerThanTheOffers_TellsOfEveryChunkTheRemoteLacks()
    {
        var has = new ChunkBitmap(5);
        has.Set(1);

        var (_, bitfield) = _schedule.Start(File, has);

        Assert.Equal([0, 2, 3, 4], Set(bitfield));
    }

    [Fact]
    public void Sending_AChunk_OffersOneNobodyWasToldOf()
    {
        var (a, toldA) = _schedule.Start(File, new ChunkBitmap(256));
        var (_, toldB) = _schedule.Start(File, new ChunkBitmap(256));
        int sent = Set(toldA)[0];

        var next = _schedule.Sending(a, sent, Chunk);

        int offered = Assert.Single(next);
        Assert.DoesNotContain(offered, Set(toldA));
        Assert.DoesNotContain(offered, Set(toldB));
    }

    [Fact]
    public void FirstCopyNotOut_RemoteThatTookAllItsOffers_IsOfferedNothingTheOthersWait()
    {
        var (a, toldA) = _schedule.Start(File, new ChunkBitmap(2 * RevealSchedule.InitialOpen));
        var (_, toldB) = _schedule.Start(File, new ChunkBitmap(2 * RevealSchedule.InitialOpen)); // the other half: every chunk is on offer once
        Assert.Equal(2 * RevealSchedule.InitialOpen, Set(toldA).Concat(Set(toldB)).Distinct().Count());

        var offered = Set(toldA).SelectMany(i => _schedule.Sending(a, i, Chunk)).ToList();

        Assert.Empty(offered); // B's chunks are not out yet: a second copy now would be upload nobody else could give
    }

    [Fact]
    public void EveryChunkOut_RemoteIsOfferedWhatItLacksThatWentOutLeast()
    {
        var (a, toldA) = _schedule.Start(File, new ChunkBitmap(2 * RevealSchedule.InitialOpen));
        var (b, toldB) = _schedule.Start(File, new ChunkBitmap(2 * RevealSchedule.InitialOpen));
        foreach (int i in Set(toldB))
        {
            _schedule.Sending(b, i, Chunk);
        }

        int last = Set(toldA)[^1];
        foreach (int i in Set(toldA).SkipLast(1))
        {
            Assert.Empty(_schedule.Sending(a, i, Chunk));
        }

        var offered = _schedule.Sending(a, last, Chunk); // the first copy is out now

        Assert.NotEmpty(offered);
        Assert.All(offered, i => Assert.Contains(i, Set(toldB))); // what A lacks: B's chunks, each sent once
    }

    [Fact]
    public void Stop_RemoteWithOpenOffers_TheyGoToTheNextRemote()
    {
        var (a, toldA) = _schedule.Start(File, new ChunkBitmap(8));
        Assert.Equal(8, Set(toldA).Count); // A was told of all of it
        var (_, toldBefore) = _schedule.Start(File, new ChunkBitmap(8));
        Assert.Empty(Set(toldBefore)); // nothing left that A is not already offered

        _schedule.Stop(File, a);
        var (_, toldAfter) = _schedule.Start(File, new ChunkBitmap(8));

        Assert.Equal(Set(toldA), Set(toldAfter));
    }

    [Fact]
    public void OfferWaitingLongerThanTheTimeout_IsMadeToAnotherRemoteToo()
    {
        var (_, toldA) = _schedule.Start(File, new ChunkBitmap(8)); // A takes nothing: stalled
        var (b, _) = _schedule.Start(File, new ChunkBitmap(8));

        var before = _schedule.RemoteHave(b, 0); // any news from B tops it up
        _clock.Advance(RevealSchedule.OfferTimeout);
        var after = _schedule.RemoteHave(b, 1);

        Assert.Empty(before);
        Assert.NotEmpty(after);
        Assert.All(after, i => Assert.Contains(i, Set(toldA)));
    }

    [Fact]
    public void RemoteHave_ForAnOfferedChunk_ItCameFromElsewhere_OffersAnother()
    {
        var (a, toldA) = _schedule.Start(File, new ChunkBitmap(256));

        var next = _schedule.RemoteHave(a, Set(toldA)[0]);

        Assert.Single(next);
        Assert.Empty(_schedule.RemoteHave(a, Set(toldA)[0])); // the same Have again changes nothing
    }

    [Fact]
    public void FastRemote_OpenOffersGrowWithTheRateItTakesChunksAt()
    {
        var (a, told) = _schedule.Start(File, new ChunkBitmap(4096));
        var open = Set(told);
        var queue = new Queue<int>(open);

        for (int tick = 0; tick < 200; tick++) // 200 chunks a second: 50 MiB/s
        {
            _clock.Advance(TimeSpan.FromMilliseconds(5));
            foreach (int i in _schedule.Sending(a, queue.Dequeue(), Chunk))
            {
                queue.Enqueue(i);
            }
        }

        _clock.Advance(TimeSpan.FromMilliseconds(5));
        foreach (int i in _schedule.Sending(a, queue.Dequeue(), Chunk))
        {
            queue.Enqueue(i);
        }

        Assert.Equal(RevealSchedule.MaxOpen, queue.Count);
    }
}
