using System.Security.Cryptography;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class PartialFileTests : IDisposable
{
    private const int Chunk = 256 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("p2pshare-partial-").FullName;

    [Fact]
    public async Task Create_Size_PreallocatedToFullLength()
    {
        string path = Path.Combine(_dir, "a.part");

        await using var partial = PartialFile.Create(path, (3 * Chunk) + 7);

        Assert.Equal((3 * Chunk) + 7, new FileInfo(path).Length);
        Assert.Equal(4, partial.Layout.ChunkCount);
    }

    [Fact]
    public async Task Create_ExistingFile_Throws()
    {
        string path = Path.Combine(_dir, "a.part");
        await File.WriteAllTextAsync(path, "mine", TestContext.Current.CancellationToken);

        Assert.Throws<IOException>(() => PartialFile.Create(path, 10));
        Assert.Equal("mine", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WriteChunkAsync_ThenRead_SameBytesAtRightOffset()
    {
        using var timeout = StorageFixture.Timeout();
        string path = Path.Combine(_dir, "a.part");
        byte[] last = RandomNumberGenerator.GetBytes(100);
        byte[] first = RandomNumberGenerator.GetBytes(Chunk);
        await using var partial = PartialFile.Create(path, Chunk + 100);

        await partial.WriteChunkAsync(1, last, timeout.Token);
        await partial.WriteChunkAsync(0, first, timeout.Token);
        partial.FlushToDisk();
        byte[] buffer = new byte[Chunk];
        int length = await partial.ReadChunkAsync(1, buffer, timeout.Token);

        Assert.Equal(100, length);
        Assert.Equal(last, buffer[..100]);
        byte[] whole = await File.ReadAllBytesAsync(path, timeout.Token);
        Assert.Equal(first.Concat(last), whole);
    }

    [Fact]
    public async Task WriteChunkAsync_WholeChunkOnLinux_WrittenPastThePageCache()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "direct I/O is used on Linux only");
        using var timeout = StorageFixture.Timeout();
        string path = Path.Combine(_dir, "a.part");
        byte[] data = RandomNumberGenerator.GetBytes(Chunk);
        await using var partial = PartialFile.Create(path, 2 * Chunk);

        await partial.WriteChunkAsync(1, data, timeout.Token);
        partial.FlushToDisk();

        Assert.True(partial.WritesDirect);
        Assert.Equal(data, (await File.ReadAllBytesAsync(path, timeout.Token))[Chunk..]);
    }

    [Fact]
    public async Task WriteChunkAsync_WrongLength_Throws()
    {
        using var timeout = StorageFixture.Timeout();
        await using var partial = PartialFile.Create(Path.Combine(_dir, "a.part"), Chunk + 100);

        await Assert.ThrowsAsync<ArgumentException>(async () => await partial.WriteChunkAsync(1, new byte[99], timeout.Token));
    }

    [Fact]
    public async Task OpenExisting_SizeDiffers_NullWithReason()
    {
        string path = Path.Combine(_dir, "a.part");
        await File.WriteAllBytesAsync(path, new byte[10], TestContext.Current.CancellationToken);

        var partial = PartialFile.OpenExisting(path, 11, out string? problem);
        var missing = PartialFile.OpenExisting(Path.Combine(_dir, "none.part"), 11, out string? missingProblem);

        Assert.Null(partial);
        Assert.Contains("is 10 bytes, expected 11", problem);
        Assert.Null(missing);
        Assert.Contains("missing", missingProblem);
    }

    [Fact]
    public async Task MoveTo_FreeName_MovedWithContentAndNoPartLeft()
    {
        using var timeout = StorageFixture.Timeout();
        string path = Path.Combine(_dir, "a.part");
        string final = Path.Combine(_dir, "a.bin");
        byte[] data = RandomNumberGenerator.GetBytes(1000);
        await using var partial = PartialFile.Create(path, 1000);
        await partial.WriteChunkAsync(0, data, timeout.Token);

        partial.MoveTo(final);

        Assert.False(File.Exists(path));
        Assert.False(partial.IsOpen);
        Assert.Equal(final, partial.Path);
        Assert.Equal(data, await File.ReadAllBytesAsync(final, timeout.Token));
    }

    [Fact]
    public async Task MoveTo_DestinationExists_NeverOverwrites()
    {
        using var timeout = StorageFixture.Timeout();
        string path = Path.Combine(_dir, "a.part");
        string final = Path.Combine(_dir, "a.bin");
        await File.WriteAllTextAsync(final, "precious", timeout.Token);
        await using var partial = PartialFile.Create(path, 10);

        Assert.Throws<IOException>(() => partial.MoveTo(final));

        Assert.Equal("precious", await File.ReadAllTextAsync(final, timeout.Token));
        Assert.True(File.Exists(path));
        Assert.Equal(path, partial.Path);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
