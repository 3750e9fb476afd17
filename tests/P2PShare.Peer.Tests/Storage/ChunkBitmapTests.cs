using CsCheck;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class ChunkBitmapTests
{
    [Fact]
    public void ToBytes_ChunkZeroAndNine_MostSignificantBitFirst()
    {
        var bitmap = new ChunkBitmap(10);
        bitmap.Set(0);
        bitmap.Set(9);

        Assert.Equal(new byte[] { 0x80, 0x40 }, bitmap.ToBytes());
    }

    [Fact]
    public void Set_SameChunkTwice_CountsOnce()
    {
        var bitmap = new ChunkBitmap(3);

        Assert.True(bitmap.Set(1));
        Assert.False(bitmap.Set(1));
        Assert.Equal(1, bitmap.SetCount);
        Assert.True(bitmap[1]);
        Assert.False(bitmap[0]);
    }

    [Fact]
    public void FirstMissing_FullFirstByte_SkipsToNinth()
    {
        var bitmap = new ChunkBitmap(20);
        for (int i = 0; i < 8; i++)
        {
            bitmap.Set(i);
        }

        bitmap.Set(9);

        Assert.Equal(8, bitmap.FirstMissing());
        Assert.Equal(10, bitmap.FirstMissing(9));
    }

    [Fact]
    public void FirstMissing_Complete_ReturnsMinusOne()
    {
        var bitmap = new ChunkBitmap(3);
        bitmap.Set(0);
        bitmap.Set(1);
        bitmap.Set(2);

        Assert.True(bitmap.IsComplete);
        Assert.Equal(-1, bitmap.FirstMissing());
    }

    [Fact]
    public void Get_IndexOutOfRange_Throws()
    {
        var bitmap = new ChunkBitmap(8);

        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.Get(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.Set(-1));
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 10)]         // too short
    [InlineData(new byte[] { 0x00, 0x00, 0x00 }, 10)] // too long
    [InlineData(new byte[] { 0x00, 0x20 }, 10)]   // spare bit 10 set
    [InlineData(new byte[] { 0x01 }, 7)]          // spare bit 7 set
    public void FromBytes_MalformedBitfield_ReturnsNull(byte[] bytes, int count)
    {
        Assert.Null(ChunkBitmap.FromBytes(bytes, count));
    }

    [Fact]
    public void FromBytes_ZeroChunks_EmptyAndComplete()
    {
        var bitmap = ChunkBitmap.FromBytes([], 0);

        Assert.NotNull(bitmap);
        Assert.True(bitmap.IsComplete);
        Assert.Equal(-1, bitmap.FirstMissing());
    }

    [Fact]
    public void FromBytes_AnySetOfChunks_RoundTrips()
    {
        Gen.Int[0, 300].SelectMany(count => Gen.Int[0, Math.Max(0, count - 1)].Array[0, count].Select(set => (count, set)))
            .Sample((count, set) =>
            {
                var bitmap = new ChunkBitmap(count);
                foreach (int i in set.Where(i => i < count))
                {
                    bitmap.Set(i);
                }

                var copy = ChunkBitmap.FromBytes(bitmap.ToBytes(), count);

                Assert.NotNull(copy);
                Assert.Equal(bitmap.SetCount, copy.SetCount);
                Assert.Equal(set.Where(i => i < count).Distinct().Count(), copy.SetCount);
                for (int i = 0; i < count; i++)
                {
                    Assert.Equal(bitmap[i], copy[i]);
                }
            });
    }
}
