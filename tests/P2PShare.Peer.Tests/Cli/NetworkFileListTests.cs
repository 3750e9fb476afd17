using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Cli;

namespace P2PShare.Peer.Tests.Cli;

public sealed class NetworkFileListTests
{
    private static readonly List<FileSummary> Catalogue = Enumerable.Range(0, 1200).Select(i => new FileSummary
    {
        Hash = i.ToString("x64"),
        Name = $"f{i}",
        Size = i,
        ChunkSize = 262_144,
        ChunkCount = 1,
        Holders = 1,
        Seeders = 1,
        AnnouncedAt = DateTimeOffset.UnixEpoch,
    }).ToList();

    /// <summary>What the tracker answers: at most 500 a page, and the total.</summary>
    private static Task<FileListResponse> Page(int limit, int offset, CancellationToken ct)
    {
        Assert.InRange(limit, 1, TrackerLimits.MaxPageSize);
        return Task.FromResult(new FileListResponse { Files = Catalogue.Skip(offset).Take(limit).ToList(), Total = Catalogue.Count, Limit = limit, Offset = offset });
    }

    [Fact]
    public async Task Fetch_All_PagesThroughEveryFile()
    {
        var list = await NetworkFileList.FetchAsync(Page, null, CancellationToken.None);

        Assert.Equal(Catalogue.Select(f => f.Hash), list.Files.Select(f => f.Hash));
        Assert.Equal(1200, list.Total);
    }

    [Fact]
    public async Task Fetch_Limit_StopsThereAndKeepsTheTotal()
    {
        var list = await NetworkFileList.FetchAsync(Page, 700, CancellationToken.None);

        Assert.Equal(700, list.Files.Count);
        Assert.Equal(1200, list.Total);
    }
}
