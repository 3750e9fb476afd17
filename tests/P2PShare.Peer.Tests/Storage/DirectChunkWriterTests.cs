using System.Security.Cryptography;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

/// <summary>Direct (O_DIRECT) chunk writes on the temp directory's real file system; Linux only.</summary>
public sealed class DirectChunkWriterTests : IDisposable
{
    private const int Chunk = 256 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("p2pshare-direct-").FullName;

    [Fact]
    public async Task TryWriteAsync_AlignedChunk_LandsAtItsOffset()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "direct I/O is used on Linux only");
        using var timeout = StorageFixture.Timeout();
        string path = NewFile(3 * Chunk);
        byte[] data = RandomNumberGenerator.GetBytes(Chunk);
        using var writer = DirectChunkWriter.TryOpen(path);
        Assert.NotNull(writer);

        bool written = await writer.TryWriteAsync(data.AsMemory(), Chunk, timeout.Token);

        Assert.True(written);
        Assert.True(writer.IsEnabled);
        byte[] file = await File.ReadAllBytesAsync(path, timeout.Token);
        Assert.Equal(data, file[Chunk..(2 * Chunk)]);
        Assert.All(file[..Chunk], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task TryWriteAsync_UnalignedSourceMemory_CopiedAndWritten()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "direct I/O is used on Linux only");
        using var timeout = StorageFixture.Timeout();
        string path = NewFile(Chunk);
        byte[] backing = RandomNumberGenerator.GetBytes(Chunk + 1);
        using var writer = DirectChunkWriter.TryOpen(path)!;

        Assert.True(await writer.TryWriteAsync(backing.AsMemory(1, Chunk), 0, timeout.Token));

        Assert.Equal(backing[1..], await File.ReadAllBytesAsync(path, timeout.Token));
    }

    [Fact]
    public async Task TryWriteAsync_AlreadyAlignedSource_WrittenAsItIs()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "direct I/O is used on Linux only");
        using var timeout = StorageFixture.Timeout();
        string path = NewFile(Chunk);
        byte[] pinned = GC.AllocateArray<byte>(Chunk + 4096, pinned: true);
        int skip = (int)((4096 - (System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0) % 4096)) % 4096);
        RandomNumberGenerator.Fill(pinned.AsSpan(skip, Chunk));
        using var writer = DirectChunkWriter.TryOpen(path)!;

        Assert.True(await writer.TryWriteAsync(pinned.AsMemory(skip, Chunk), 0, timeout.Token));

        Assert.Equal(pinned[skip..(skip + Chunk)], await File.ReadAllBytesAsync(path, timeout.Token));
    }

    [Theory]
    [InlineData(100, Chunk)]
    [InlineData(0, Chunk - 1)]
    public async Task TryWriteAsync_OffsetOrLengthNotAligned_FalseAndNothingWritten(int offset, int length)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "direct I/O is used on Linux only");
        using var timeout = StorageFixture.Timeout();
        string path = NewFile(2 * Chunk);
        using var writer = DirectChunkWriter.TryOpen(path)!;

        bool written = await writer.TryWriteAsync(new byte[length].AsMemory(), offset, timeout.Token);

        Assert.False(written);
        Assert.True(writer.IsEnabled); // the caller just writes this one through the page cache
        Assert.All(await File.ReadAllBytesAsync(path, timeout.Token), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task TryWriteAsync_FileSystemRefusesTheAlignment_TurnsItselfOff()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "direct I/O is used on Linux only");
        using var timeout = StorageFixture.Timeout();
        string path = NewFile(Chunk);
        // 256-byte alignment is finer than any block device's logical block (512 bytes or more): the kernel says EINVAL.
        using var writer = DirectChunkWriter.TryOpen(path, alignment: 256)!;

        bool written = await writer.TryWriteAsync(new byte[256].AsMemory(), 256, timeout.Token);

        Assert.False(written);
        Assert.False(writer.IsEnabled);
        Assert.False(await writer.TryWriteAsync(new byte[Chunk].AsMemory(), 0, timeout.Token));
    }

    [Fact]
    public void TryOpen_MissingFile_Null()
    {
        Assert.Null(DirectChunkWriter.TryOpen(Path.Combine(_dir, "none.part")));
    }

    private string NewFile(int length)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.part");
        using (var file = File.Create(path))
        {
            file.SetLength(length);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
