using System.Diagnostics;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class FolderScannerTests
{
    [Fact]
    public async Task Scan_NewChangedAndDeletedFiles_ReportedAgainstIndex()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        var scanner = new FolderScanner(f.Paths);
        string kept = f.WriteDataFile("kept.bin", 100);
        string changed = f.WriteDataFile("sub/changed.bin", 100);
        string deleted = f.WriteDataFile("deleted.bin", 100);
        foreach (string path in new[] { kept, changed, deleted })
        {
            await f.Index.GetOrHashAsync(path, timeout.Token);
        }

        string added = f.WriteDataFile("deep/er/added.bin", 100);
        await File.AppendAllTextAsync(changed, "!", timeout.Token);
        File.Delete(deleted);
        var differences = scanner.Scan(f.Index).OrderBy(d => d.Kind).ToList();

        Assert.Equal(3, differences.Count);
        Assert.Equal((FolderChangeKind.Added, added), (differences[0].Kind, differences[0].FullPath));
        Assert.Equal((FolderChangeKind.Changed, changed), (differences[1].Kind, differences[1].FullPath));
        Assert.Equal(101, differences[1].Current!.Value.Size);
        Assert.Equal((FolderChangeKind.Removed, deleted), (differences[2].Kind, differences[2].FullPath));
    }

    [Fact]
    public async Task Enumerate_StateHiddenTemporaryEmptyAndLinks_Skipped()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string shared = f.WriteDataFile("dir/shared.bin", 10);
        f.WriteDataFile(".hidden", 10);
        f.WriteDataFile(".cache/inside.bin", 10);
        f.WriteDataFile("movie.mkv.part", 10);
        f.WriteDataFile("notes.txt~", 10);
        f.WriteDataFile("~$report.docx", 10);
        f.WriteDataFile("dir/tmp.tmp", 10);
        f.WriteDataFile("empty.bin", 0);
        f.WriteDataFile(".abc.p2pshare-tmp", 10);
        await File.WriteAllBytesAsync(f.Paths.PartialPathFor(new string('a', 64)), new byte[10], timeout.Token);
        File.CreateSymbolicLink(Path.Combine(f.Paths.DataDir, "link.bin"), shared);
        Directory.CreateSymbolicLink(Path.Combine(f.Paths.DataDir, "linkdir"), Path.Combine(f.Paths.DataDir, "dir"));
        if (OperatingSystem.IsLinux())
        {
            using var mkfifo = Process.Start("mkfifo", Path.Combine(f.Paths.DataDir, "pipe"));
            await mkfifo.WaitForExitAsync(timeout.Token);
        }

        var found = new FolderScanner(f.Paths).Enumerate();

        Assert.Equal([shared], found.Select(x => x.FullPath));
    }

    [Fact]
    public async Task Scan_IndexedFileOutsideDataDir_NotReportedRemoved()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        string outside = Path.Combine(f.Root, "outside.bin");
        await File.WriteAllBytesAsync(outside, new byte[10], timeout.Token);
        await f.Index.GetOrHashAsync(outside, timeout.Token);

        Assert.Empty(new FolderScanner(f.Paths).Scan(f.Index));
    }

    [Fact]
    public async Task Scan_StampsMatchIndex_NoDifferences()
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);
        await f.Index.GetOrHashAsync(f.WriteDataFile("a.bin", 10), timeout.Token);
        await f.Index.GetOrHashAsync(f.WriteDataFile("b/c.bin", 10), timeout.Token);

        Assert.Empty(new FolderScanner(f.Paths).Scan(f.Index));
    }

    [Theory]
    [InlineData("a.bin", false)]
    [InlineData("dir/a.bin", false)]
    [InlineData(".p2pshare/state.db-wal", true)]
    [InlineData(".git/config", true)]
    [InlineData("dir/.hidden/a.bin", true)]
    [InlineData("a.bin.part", true)]
    [InlineData("a.bin.crdownload", true)]
    public async Task IsIgnored_Path_AsDocumented(string relative, bool ignored)
    {
        using var timeout = StorageFixture.Timeout();
        await using var f = await StorageFixture.CreateAsync(timeout.Token);

        Assert.Equal(ignored, new FolderScanner(f.Paths).IsIgnored(Path.Combine(f.Paths.DataDir, relative)));
        Assert.True(new FolderScanner(f.Paths).IsIgnored(f.Root));
    }
}
