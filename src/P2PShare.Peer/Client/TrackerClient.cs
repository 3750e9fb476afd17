using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Client;

/// <summary>Typed calls to the tracker's REST API. Failures surface as <see cref="TrackerException"/> with the tracker's own message.</summary>
internal sealed class TrackerClient(HttpClient http)
{
    private static TrackerApiJsonContext Json => TrackerApiJsonContext.Default;

    public Uri BaseAddress => http.BaseAddress!;

    public static HttpClient CreateHttpClient(Uri trackerUrl, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = trackerUrl, Timeout = TimeSpan.FromSeconds(15) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add(TrackerHeaders.ApiKey, apiKey);
        }

        return http;
    }

    public Task<RegisterResponse> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/peers/register", null, request, Json.RegisterRequest, Json.RegisterResponse, cancellationToken);

    /// <summary>Returns false when the tracker no longer knows this peer (it must register again).</summary>
    public async Task<bool> HeartbeatAsync(string peerId, string token, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Post, "api/peers/heartbeat", token, new HeartbeatRequest { PeerId = peerId }, Json.HeartbeatRequest, Json.HeartbeatResponse, cancellationToken);
            return true;
        }
        catch (TrackerException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return false;
        }
    }

    public Task<AnnounceResponse> AnnounceAsync(string token, AnnounceRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/files/announce", token, request, Json.AnnounceRequest, Json.AnnounceResponse, cancellationToken);

    public Task WithdrawAsync(string token, string peerId, string hash, CancellationToken cancellationToken) =>
        SendAsync<WithdrawRequest, object>(HttpMethod.Post, "api/files/withdraw", token, new WithdrawRequest { PeerId = peerId, Hash = hash }, Json.WithdrawRequest, null, cancellationToken);

    public Task UnregisterAsync(string peerId, string token, CancellationToken cancellationToken) =>
        SendAsync<object, object>(HttpMethod.Delete, $"api/peers/{peerId}", token, null, null, null, cancellationToken);

    public Task<FileListResponse> ListFilesAsync(string? query, int limit, int offset, CancellationToken cancellationToken)
    {
        string path = $"api/files?limit={limit}&offset={offset}" + (string.IsNullOrEmpty(query) ? "" : $"&q={Uri.EscapeDataString(query)}");
        return SendAsync<object, FileListResponse>(HttpMethod.Get, path, null, null, null, Json.FileListResponse, cancellationToken);
    }

    /// <summary>Fetches a manifest and checks it against the ID asked for; null when the tracker does not know the file.</summary>
    public async Task<FileManifest?> GetManifestAsync(string hash, CancellationToken cancellationToken)
    {
        FileManifest manifest;
        try
        {
            manifest = await SendAsync<object, FileManifest>(HttpMethod.Get, $"api/files/{hash}", null, null, null, Json.FileManifest, cancellationToken);
        }
        catch (TrackerException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        string? error = ManifestValidator.Validate(manifest);
        if (error is null && !string.Equals(manifest.Hash, hash, StringComparison.OrdinalIgnoreCase))
        {
            error = $"tracker answered with the manifest of {manifest.Hash}";
        }

        return error is null ? manifest : throw new TrackerException($"tracker sent an invalid manifest for {hash}: {error}");
    }

    public Task<FilePeersResponse> GetFilePeersAsync(string hash, CancellationToken cancellationToken) =>
        SendAsync<object, FilePeersResponse>(HttpMethod.Get, $"api/files/{hash}/peers", null, null, null, Json.FilePeersResponse, cancellationToken);

    public Task<PeerListResponse> ListPeersAsync(CancellationToken cancellationToken) =>
        SendAsync<object, PeerListResponse>(HttpMethod.Get, "api/peers", null, null, null, Json.PeerListResponse, cancellationToken);

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method,
        string path,
        string? token,
        TRequest? body,
        JsonTypeInfo<TRequest>? requestType,
        JsonTypeInfo<TResponse>? responseType,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Add(TrackerHeaders.PeerToken, token);
        }

        if (body is not null && requestType is not null)
        {
            request.Content = JsonContent.Create(body, requestType);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TrackerException($"tracker {BaseAddress} is unreachable: {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TrackerException($"tracker {BaseAddress} did not answer in time", null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new TrackerException(await DescribeFailureAsync(response, cancellationToken), response.StatusCode);
            }

            if (responseType is null)
            {
                return default!;
            }

            try
            {
                return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
                    ?? throw new TrackerException($"tracker sent an empty answer to {method} /{path}");
            }
            catch (JsonException ex)
            {
                throw new TrackerException($"tracker sent malformed JSON to {method} /{path}: {ex.Message}", response.StatusCode, ex);
            }
        }
    }

    private static async Task<string> DescribeFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string detail = "";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? ""
                    : problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            }
        }
        catch (JsonException)
        {
        }

        string status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode == HttpStatusCode.Unauthorized && detail.Length == 0
            ? $"tracker refused the request ({status}): set API_KEY or -api-key"
            : $"tracker answered {status}{(detail.Length > 0 ? ": " + detail : "")}";
    }
}
