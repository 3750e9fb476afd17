using P2PShare.Peer.Downloader;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Downloader;

public sealed class ChunkPickerTests
{
    private static ChunkBitmap Bits(int count, params int[] set)
    {
        var bitmap = new ChunkBitmap(count);
        foreach (int i in set)
        {
            bitmap.Set(i);
        }

        return bitmap;
    }

    private static ChunkBitmap All(int count) => Bits(count, Enumerable.Range(0, count).ToArray());

    [Fact]
    public void TryPick_HolderLacksChunks_PicksOnlyWhatItHas()
    {
        var picker = new ChunkPicker(new ChunkBitmap(10), new Random(1));
        var holder = Bits(10, 3, 7);
        picker.AddHolder(holder);

        Assert.True(picker.TryPick(holder, _ => false, out int first));
        Assert.True(picker.TryPick(holder, i => i == first, out int second));

        Assert.Equal([3, 7], new[] { first, second }.Order());
    }

    [Fact]
    public void TryPick_OneChunkHeldByFewer_RarestComesFirst()
    {
        var picker = new ChunkPicker(new ChunkBitmap(200), new Random(2));
        var everything = All(200);
        var common = Bits(200, Enumerable.Range(0, 200).Where(i => i != 123).ToArray());
        picker.AddHolder(everything);
        picker.AddHolder(common);
        picker.AddHolder(common);

        Assert.True(picker.TryPick(everything, _ => false, out int index));

        Assert.Equal(123, index);
    }

    [Fact]
    public void TryPick_AllRequested_EndgameAllowsOneOtherHolderOnly()
    {
        var picker = new ChunkPicker(Bits(3, 0, 1), new Random(3));
        var holder = All(3);
        picker.AddHolder(holder);
        picker.AddHolder(holder);

        Assert.True(picker.TryPick(holder, _ => false, out int first));
        Assert.Equal(2, first);
        Assert.False(picker.TryPick(holder, i => i == 2, out _));
        Assert.True(picker.TryPick(holder, _ => false, out int duplicate));
        Assert.Equal(2, duplicate);
        Assert.False(picker.TryPick(holder, _ => false, out _));
    }

    [Fact]
    public void TryPick_EndgameChunkAlreadyArrived_NotAskedForAgain()
    {
        var picker = new ChunkPicker(Bits(2, 0), new Random(3));
        var first = All(2);
        var second = All(2);
        picker.AddHolder(first);
        picker.AddHolder(second);
        Assert.True(picker.TryPick(first, _ => false, out int index));

        picker.Arrived(index); // out of the holder's in-flight set, being hashed and written

        Assert.False(picker.TryPick(second, _ => false, out _));
        Assert.False(picker.TryPick(first, _ => false, out _));
    }

    [Fact]
    public void Discard_ArrivedCopyFailedItsCheck_CanBePickedAgain()
    {
        var picker = new ChunkPicker(new ChunkBitmap(1), new Random(4));
        var holder = All(1);
        picker.AddHolder(holder);
        Assert.True(picker.TryPick(holder, _ => false, out int index));
        picker.Arrived(index);
        Assert.False(picker.TryPick(holder, _ => false, out _));

        picker.Discard(index);

        Assert.True(picker.TryPick(holder, _ => false, out int again));
        Assert.Equal(index, again);
    }

    [Fact]
    public void Release_OtherRequestRejectedAfterACopyArrived_ChunkStaysClosed()
    {
        var picker = new ChunkPicker(new ChunkBitmap(1), new Random(5));
        var first = All(1);
        var second = All(1);
        picker.AddHolder(first);
        picker.AddHolder(second);
        Assert.True(picker.TryPick(first, _ => false, out int index));
        Assert.True(picker.TryPick(second, _ => false, out _)); // endgame: the same chunk from a second holder
        picker.Arrived(index);

        picker.Release(index); // the second holder's request is rejected

        Assert.False(picker.TryPick(second, _ => false, out _));
    }

    [Fact]
    public void Release_RejectedChunk_CanBePickedAgain()
    {
        var picker = new ChunkPicker(new ChunkBitmap(1), new Random(4));
        var holder = All(1);
        picker.AddHolder(holder);
        Assert.True(picker.TryPick(holder, _ => false, out int index));

        picker.Release(index);

        Assert.True(picker.TryPick(holder, _ => false, out int again));
        Assert.Equal(index, again);
    }

    [Fact]
    public void MarkHave_EveryChunk_CompletesAndNothingLeftToPick()
    {
        var picker = new ChunkPicker(new ChunkBitmap(5), new Random(5));
        var holder = All(5);
        picker.AddHolder(holder);
        var picked = new List<int>();
        while (picker.TryPick(holder, picked.Contains, out int index))
        {
            picked.Add(index);
        }

        foreach (int index in picked)
        {
            Assert.True(picker.MarkHave(index));
        }

        Assert.Equal(5, picked.Distinct().Count());
        Assert.True(picker.IsComplete);
        Assert.False(picker.MarkHave(0));
        Assert.False(picker.TryPick(holder, _ => false, out _));
    }

    [Fact]
    public void TryPick_ManyHolders_EachChunkGoesToOneHolderBeforeEndgame()
    {
        const int count = 1000;
        var picker = new ChunkPicker(new ChunkBitmap(count), new Random(6));
        var holders = Enumerable.Range(0, 4).Select(_ => All(count)).ToList();
        holders.ForEach(picker.AddHolder);
        var seen = new HashSet<int>();
        for (int round = 0; round < count / holders.Count; round++)
        {
            foreach (var holder in holders)
            {
                Assert.True(picker.TryPick(holder, _ => false, out int index));
                Assert.True(seen.Add(index), $"chunk {index} picked twice before endgame");
            }
        }

        Assert.Equal(count, seen.Count);
    }

    [Fact]
    public void TryPick_RarestIsSkipped_TakesTheNextOne()
    {
        var picker = new ChunkPicker(new ChunkBitmap(4), new Random(1));
        var everything = All(4);
        picker.AddHolder(everything);
        picker.AddHolder(Bits(4, 0, 1, 2)); // chunk 3 is the rarest

        Assert.True(picker.TryPick(everything, i => i == 3, out int index));

        Assert.NotEqual(3, index);
        Assert.True(picker.TryPick(everything, _ => false, out int rarest));
        Assert.Equal(3, rarest);
    }
}
