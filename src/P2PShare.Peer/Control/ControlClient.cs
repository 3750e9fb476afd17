using System.Net.Http.Json;
using System.Text.Json;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Control;

/// <summary>What the one-shot verbs use to talk to a node already running on the same data dir.</summary>
internal sealed class ControlClient(ControlEndpointFile endpoint) : INodeApi, IDisposable
{
    private readonly HttpClient _http = CreateHttp(endpoint);

    public Task<NodeStatus> StatusAsync(CancellationToken ct) => GetAsync<NodeStatus>("status", ct);

    public async Task<IReadOnlyList<SharedFileView>> SharedAsync(CancellationToken ct) => await GetAsync<List<SharedFileView>>("files", ct);

    public async Task<IReadOnlyList<DownloadView>> DownloadsAsync(CancellationToken ct) => await GetAsync<List<DownloadView>>("downloads", ct);

    public Task<DownloadView> DownloadAsync(string hash, CancellationToken ct) => GetAsync<DownloadView>($"downloads/{hash}", ct);

    public Task<DownloadView> WaitDownloadAsync(string hash, TimeSpan atMost, CancellationToken ct) =>
        GetAsync<DownloadView>($"downloads/{hash}?wait_ms={(int)atMost.TotalMilliseconds}", ct);

    public async Task<IReadOnlyList<ConnectionView>> ConnectionsAsync(CancellationToken ct) => await GetAsync<List<ConnectionView>>("peers", ct);

    public Task<FileListResponse> NetworkFilesAsync(string? query, int limit, int offset, CancellationToken ct) =>
        GetAsync<FileListResponse>($"network/files?limit={limit}&offset={offset}" + (string.IsNullOrEmpty(query) ? "" : "&q=" + Uri.EscapeDataString(query)), ct);

    public Task<SharedFileView> ShareAsync(string path, CancellationToken ct) => PostAsync<SharedFileView>("shares", new ShareRequest(path), ct);

    public Task<DownloadView> StartDownloadAsync(string hash, string? outputDir, CancellationToken ct) =>
        PostAsync<DownloadView>("downloads", new StartDownloadRequest(hash, outputDir), ct);

    public Task<DownloadView> PauseAsync(string hash, CancellationToken ct) => PostAsync<DownloadView>($"downloads/{hash}/pause", null, ct);

    public Task<DownloadView> ResumeAsync(string hash, CancellationToken ct) => PostAsync<DownloadView>($"downloads/{hash}/resume", null, ct);

    public Task<LimitsView> LimitsAsync(CancellationToken ct) => GetAsync<LimitsView>("limits", ct);

    public Task<LimitsView> SetLimitsAsync(string? up, string? down, CancellationToken ct) => PostAsync<LimitsView>("limits", new SetLimitsRequest(up, down), ct);

    public void Dispose() => _http.Dispose();

    private static HttpClient CreateHttp(ControlEndpointFile endpoint)
    {
        var http = new HttpClient { BaseAddress = new Uri(endpoint.Url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add(ControlEndpointFile.TokenHeader, endpoint.Token);
        return http;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync(path, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<T> PostAsync<T>(string path, object? body, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(path, body, ControlJson.Options, ct);
        return await ReadAsync<T>(response, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            string message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            try
            {
                var error = await response.Content.ReadFromJsonAsync<ControlError>(ControlJson.Options, ct);
                message = error?.Error ?? message;
            }
            catch (JsonException)
            {
            }

            throw new InvalidOperationException(message);
        }

        return await response.Content.ReadFromJsonAsync<T>(ControlJson.Options, ct) ?? throw new InvalidOperationException("node sent an empty answer");
    }
}
