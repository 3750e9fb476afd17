using P2PShare.Core.Hashing;
using P2PShare.Core.Throttling;
using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Client;
using P2PShare.Peer.Node;

namespace P2PShare.Peer.Control;

/// <summary>The node in this process behind the same operations the control API offers.</summary>
internal sealed class LocalNodeApi(PeerNode node) : INodeApi
{
    public Task<NodeStatus> StatusAsync(CancellationToken ct) => Task.FromResult(ControlMapping.ToView(node.Snapshot()));

    public async Task<IReadOnlyList<SharedFileView>> SharedAsync(CancellationToken ct) => [.. (await node.Shares.ListAsync(ct)).Select(ControlMapping.ToView)];

    public Task<IReadOnlyList<DownloadView>> DownloadsAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<DownloadView>>([.. node.Downloads.List().Select(ControlMapping.ToView)]);

    public Task<DownloadView> DownloadAsync(string hash, CancellationToken ct) =>
        Task.FromResult(ControlMapping.ToView(node.Downloads.Find(CheckHash(hash)) ?? throw NoDownload(hash)));

    public async Task<DownloadView> WaitDownloadAsync(string hash, TimeSpan atMost, CancellationToken ct) =>
        ControlMapping.ToView(await node.Downloads.WaitAsync(CheckHash(hash), ClampWait(atMost), ct) ?? throw NoDownload(hash));

    public Task<IReadOnlyList<ConnectionView>> ConnectionsAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ConnectionView>>([.. node.ConnectionList().Select(ControlMapping.ToView)]);

    public async Task<SharedFileView> ShareAsync(string path, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(path) ? throw new InvalidOperationException("path is required") : ControlMapping.ToView(await node.Shares.ShareAsync(path, ct));

    public async Task<DownloadView> StartDownloadAsync(string hash, string? outputDir, CancellationToken ct) =>
        ControlMapping.ToView(await node.Downloads.StartAsync(CheckHash(hash), outputDir, ct));

    public async Task<DownloadView> PauseAsync(string hash, CancellationToken ct) =>
        ControlMapping.ToView(await node.Downloads.PauseAsync(CheckHash(hash), ct) ?? throw NoDownload(hash));

    public async Task<DownloadView> ResumeAsync(string hash, CancellationToken ct) =>
        ControlMapping.ToView(await node.Downloads.ResumeAsync(CheckHash(hash), ct) ?? throw NoDownload(hash));

    public async Task<FileListResponse> NetworkFilesAsync(string? query, int limit, int offset, CancellationToken ct)
    {
        try
        {
            return await node.Tracker.ListFilesAsync(query, Math.Clamp(limit, 1, TrackerLimits.MaxPageSize), Math.Max(0, offset), ct);
        }
        catch (TrackerException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }

    public Task<LimitsView> LimitsAsync(CancellationToken ct) => Task.FromResult(Limits());

    public Task<LimitsView> SetLimitsAsync(string? up, string? down, CancellationToken ct)
    {
        long? newUp = up is null ? null : ParseRate(up);
        long? newDown = down is null ? null : ParseRate(down);
        if (newUp is long u)
        {
            node.Limits.Upload.SetRate(u);
        }

        if (newDown is long d)
        {
            node.Limits.Download.SetRate(d);
        }

        return Task.FromResult(Limits());
    }

    private LimitsView Limits()
    {
        long up = node.Limits.Upload.Rate;
        long down = node.Limits.Download.Rate;
        return new LimitsView(up, down, ByteRate.Format(up), ByteRate.Format(down));
    }

    private static long ParseRate(string text) =>
        ByteRate.TryParse(text, out long rate, out string? error) ? rate : throw new InvalidOperationException(error);

    private static KeyNotFoundException NoDownload(string hash) => new($"no download {hash}");

    private static string CheckHash(string? hash) =>
        Sha256Hash.IsHex(hash) ? hash.ToLowerInvariant() : throw new InvalidOperationException($"'{hash}' is not a file ID (64 hex characters)");

    /// <summary>Waits are between 0 and 30 s, so a request never hangs for long.</summary>
    private static TimeSpan ClampWait(TimeSpan atMost) => TimeSpan.FromMilliseconds(Math.Clamp(atMost.TotalMilliseconds, 0, 30_000));
}
