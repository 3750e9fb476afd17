using System.Diagnostics;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

/// <summary>Runs the peer's storage on a 1 MiB tmpfs to see what a full disk does. Needs root (to mount) on Linux.</summary>
public sealed class DiskFullTests
{
    private const int Chunk = 256 * 1024;

    [Fact]
    public async Task OpenAsync_FileLargerThanFreeSpace_FailsClearlyAndLeavesNothing()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        await using var disk = await TinyDisk.MountAsync(f.Root, timeout.Token);
        var paths = new PeerPaths(disk.Path);
        await using var db = StateDatabase.Open(paths, f.Time);
        var downloads = await DownloadStore.OpenAsync(db, f.Time, null, timeout.Token);
        var (_, manifest) = await f.MakeContentAsync("big.iso", 8 * Chunk, timeout.Token);

        var opened = await DownloadTarget.OpenAsync(paths, downloads, manifest, null, null, timeout.Token);

        Assert.Equal(DownloadOpenStatus.Failed, opened.Status);
        Assert.Contains("the disk is full", opened.Error);
        Assert.Empty(Directory.GetFiles(paths.PartialDir));
    }

    [Fact]
    public async Task DiskFillsUpMidDownload_FailsClearlyThenResumesWhenSpaceFreed()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        await using var disk = await TinyDisk.MountAsync(f.Root, timeout.Token);
        var paths = new PeerPaths(disk.Path);
        await using var db = StateDatabase.Open(paths, f.Time);
        var downloads = await DownloadStore.OpenAsync(db, f.Time, null, timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        var first = (await DownloadTarget.OpenAsync(paths, downloads, manifest, null, null, timeout.Token)).Target!;
        Assert.Equal(ChunkWriteStatus.Written, (await first.WriteChunkAsync(0, DownloadTargetTests.Slice(content, 0), timeout.Token)).Status);
        await first.FlushAsync(timeout.Token);

        string filler = Path.Combine(paths.DataDir, "filler");
        FillDisk(filler);
        var write = await first.WriteChunkAsync(1, DownloadTargetTests.Slice(content, 1), timeout.Token);
        var (_, error) = write.Status == ChunkWriteStatus.Failed ? (null, write.Error) : await first.CompleteAsync(timeout.Token);
        await first.DisposeAsync(); // logs the failed final commit, never throws
        File.Delete(filler);

        var resumed = await DownloadTarget.OpenAsync(paths, downloads, manifest, null, null, timeout.Token);
        await using var again = resumed.Target!;
        Assert.True(again.HasChunk(0)); // nothing committed before the disk filled up was lost
        Assert.Equal(ChunkWriteStatus.Written, (await again.WriteChunkAsync(1, DownloadTargetTests.Slice(content, 1), timeout.Token)).Status);
        var (finalPath, finalError) = await again.CompleteAsync(timeout.Token);

        Assert.Contains("the disk is full", error);
        Assert.Null(finalError);
        Assert.Equal(content, await File.ReadAllBytesAsync(finalPath!, timeout.Token));
    }

    private static void FillDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew);
        byte[] block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // full
        }
    }

    private sealed class TinyDisk : IAsyncDisposable
    {
        private TinyDisk(string path) => Path = path;

        public string Path { get; }

        public static async Task<TinyDisk> MountAsync(string root, CancellationToken cancellationToken)
        {
            Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess, "needs root on Linux to mount a 1 MiB tmpfs");
            string path = System.IO.Path.Combine(root, "tiny");
            Directory.CreateDirectory(path);
            var (code, output) = await RunAsync("mount", $"-t tmpfs -o size=1m tmpfs {path}", cancellationToken);
            Assert.SkipUnless(code == 0, $"cannot mount a tmpfs here: {output}");
            return new TinyDisk(path);
        }

        public async ValueTask DisposeAsync()
        {
            await RunAsync("umount", "-l " + Path, CancellationToken.None);
        }

        private static async Task<(int Code, string Output)> RunAsync(string file, string arguments, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            string output = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, output);
        }
    }
}
