using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Cli;

/// <summary>
/// The files <c>list</c> shows: the first <c>limit</c> matches, or all of them, fetched page by page from the
/// tracker (which sends at most <see cref="TrackerLimits.MaxPageSize"/> per request), with the tracker's total.
/// </summary>
internal static class NetworkFileList
{
    public const int DefaultLimit = TrackerLimits.MaxPageSize;

    /// <summary><paramref name="limit"/> null means every file.</summary>
    public static async Task<FileListResponse> FetchAsync(Func<int, int, CancellationToken, Task<FileListResponse>> page, int? limit, CancellationToken ct)
    {
        var files = new List<FileSummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int total = 0;
        int offset = 0;
        int wanted = limit ?? int.MaxValue;
        while (files.Count < wanted)
        {
            var next = await page(Math.Min(TrackerLimits.MaxPageSize, wanted - files.Count), offset, ct);
            total = next.Total;
            // Files announced between two pages shift the list; a file seen twice is shown once.
            files.AddRange(next.Files.Where(f => seen.Add(f.Hash)).Take(wanted - files.Count));
            offset += next.Files.Count;
            if (next.Files.Count == 0 || offset >= next.Total)
            {
                break;
            }
        }

        return new FileListResponse { Files = files, Total = Math.Max(total, files.Count), Limit = limit ?? files.Count, Offset = 0 };
    }
}
