using P2PShare.Core.Chunking;

namespace P2PShare.Core.Tests.Chunking;

public sealed class ChunkLayoutTests
{
    [Theory]
    [InlineData(0L, 0, 0)]
    [InlineData(1L, 1, 1)]
    [InlineData(262_143L, 1, 262_143)]
    [InlineData(262_144L, 1, 262_144)]
    [InlineData(262_145L, 2, 1)]
    [InlineData(5L * 1024 * 1024 * 1024, 20_480, 262_144)]
    [InlineData((5L * 1024 * 1024 * 1024) + 7, 20_481, 7)]
    public void Layout_EdgeSizes_CountAndLastLength(long size, int count, int lastLength)
    {
        var layout = new ChunkLayout(size);

        Assert.Equal(count, layout.ChunkCount);
        if (count > 0)
        {
            Assert.Equal(lastLength, layout.LengthOf(count - 1));
            Assert.Equal((long)(count - 1) * ChunkLayout.DefaultChunkSize, layout.OffsetOf(count - 1));
        }
    }

    [Fact]
    public void LengthOf_IndexPastEnd_Throws()
    {
        var layout = new ChunkLayout(10);

        Assert.Throws<ArgumentOutOfRangeException>(() => layout.LengthOf(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.OffsetOf(-1));
    }

    [Fact]
    public void ReadChunk_FileShrankAfterOpen_ThrowsIOException()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("f.bin", new byte[ChunkLayout.DefaultChunkSize + 10]);
        using var reader = ChunkFileReader.Open(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(ChunkLayout.DefaultChunkSize + 2);
        }

        var buffer = new byte[ChunkLayout.DefaultChunkSize];
        var error = Assert.Throws<IOException>(() => reader.ReadChunk(1, buffer));
        Assert.Contains("shrank", error.Message);
    }
}
