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
    public async Task WriteChunkAsync_DiskFillsUpMidDownload_FailedThenResumesWhenSpaceFreed()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        await using var disk = await TinyDisk.MountAsync(f.Root, timeout.Token);
        var paths = new PeerPaths(disk.Path);
        await using var db = StateDatabase.Open(paths, f.Time);
        var downloads = await DownloadStore.OpenAsync(db, f.Time, null, timeout.Token);
        var (content, manifest) = await f.MakeContentAsync("a.bin", 2 * Chunk, timeout.Token);
        var opened = await DownloadTarget.OpenAsync(paths, downloads, manifest, null, null, timeout.Token);
        await using var target = opened.Target!;
        Assert.Equal(ChunkWriteStatus.Written, (await target.WriteChunkAsync(0, DownloadTargetTests.Slice(content, 0), timeout.Token)).Status);

        string filler = Path.Combine(paths.DataDir, "filler");
        FillDisk(filler);
        var failed = await target.WriteChunkAsync(1, DownloadTargetTests.Slice(content, 1), timeout.Token);
        File.Delete(filler);
        var retried = await target.WriteChunkAsync(1, DownloadTargetTests.Slice(content, 1), timeout.Token);
        var (finalPath, error) = await target.CompleteAsync(timeout.Token);

        Assert.Equal(ChunkWriteStatus.Failed, failed.Status);
        Assert.Contains("the disk is full", failed.Error);
        Assert.Equal(ChunkWriteStatus.Written, retried.Status);
        Assert.Null(error);
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
