using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using P2PShare.Core.Crypto;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Client;

/// <summary>Typed calls to the tracker's REST API. Failures surface as <see cref="TrackerException"/> with the tracker's own message.</summary>
internal sealed class TrackerClient(HttpClient http, TrackerCertificatePin? pin = null)
{
    public const string ApiKeyAdvice = "give the tracker's API key with -api-key, API_KEY or API_KEY_FILE";

    private static TrackerApiJsonContext Json => TrackerApiJsonContext.Default;

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>Raised when a call finds the tracker unreachable (no connection or no answer in time), whoever made it.</summary>
    public event Action? Unreachable;

    /// <summary>
    /// An HTTP client for the tracker. With <paramref name="pin"/> an HTTPS tracker is accepted only when its
    /// certificate has the pinned key (self-signed is fine then); without it the usual certificate validation applies.
    /// </summary>
    public static HttpClient CreateHttpClient(Uri trackerUrl, string? apiKey, TrackerCertificatePin? pin = null)
    {
        var handler = new SocketsHttpHandler();
        if (pin is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = pin.Validate;
        }

        var http = new HttpClient(handler) { BaseAddress = trackerUrl, Timeout = TimeSpan.FromSeconds(15) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add(TrackerHeaders.ApiKey, apiKey);
        }

        return http;
    }

    /// <summary>Registers with proof of <paramref name="identity"/>'s private key: a challenge, then the proved request.</summary>
    public async Task<RegisterResponse> RegisterAsync(RegisterRequest request, PeerIdentity identity, CancellationToken cancellationToken)
    {
        var challenge = await SendAsync<object, RegisterChallengeResponse>(
            HttpMethod.Post, "api/peers/register/challenge", null, null, null, Json.RegisterChallengeResponse, cancellationToken);
        if (!PeerIds.IsValidPublicKey(challenge.TrackerPublicKey))
        {
            throw new TrackerException($"tracker sent an invalid public key '{challenge.TrackerPublicKey}'");
        }

        var withNonce = request with { Nonce = challenge.Nonce };
        var proved = withNonce with { Proof = RegistrationProof.Compute(identity, Convert.FromHexString(challenge.TrackerPublicKey), withNonce) };
        return await SendAsync(HttpMethod.Post, "api/peers/register", null, proved, Json.RegisterRequest, Json.RegisterResponse, cancellationToken);
    }

    /// <summary>The live peer with this ID as the tracker lists it, or null when it is not registered.</summary>
    public async Task<PeerInfo?> GetPeerAsync(string peerId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<object, PeerInfo>(HttpMethod.Get, $"api/peers/{peerId}", null, null, null, Json.PeerInfo, cancellationToken);
        }
        catch (TrackerException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Returns false when the tracker no longer knows this peer (it must register again).</summary>
    public Task<bool> HeartbeatAsync(string peerId, string token, CancellationToken cancellationToken) =>
        HeartbeatAsync(new HeartbeatRequest { PeerId = peerId }, token, cancellationToken);

    /// <summary>Returns false when the tracker no longer knows this peer (it must register again).</summary>
    public async Task<bool> HeartbeatAsync(HeartbeatRequest request, string token, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Post, "api/peers/heartbeat", token, request, Json.HeartbeatRequest, Json.HeartbeatResponse, cancellationToken);
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
        catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
        {
            string reason = pin?.LastRefusal ?? $"{ex.InnerException.Message} (a self-signed tracker needs -tracker-pin / TRACKER_PIN)";
            throw new TrackerException($"tracker {BaseAddress} refused: its TLS certificate is not trusted: {reason}", null, ex);
        }
        catch (HttpRequestException ex)
        {
            Unreachable?.Invoke();
            throw new TrackerException($"tracker {BaseAddress} is unreachable: {ex.Message}", null, ex) { IsUnreachable = true };
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Unreachable?.Invoke();
            throw new TrackerException($"tracker {BaseAddress} did not answer in time", null, ex) { IsUnreachable = true };
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new TrackerException(await DescribeFailureAsync(response, cancellationToken), response.StatusCode)
                {
                    RetryAfter = response.Headers.RetryAfter?.Delta,
                };
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
        return response.StatusCode == HttpStatusCode.Unauthorized
            ? $"tracker refused the request ({status}{(detail.Length > 0 ? ": " + detail : "")}): {ApiKeyAdvice}"
            : $"tracker answered {status}{(detail.Length > 0 ? ": " + detail : "")}";
    }
}
