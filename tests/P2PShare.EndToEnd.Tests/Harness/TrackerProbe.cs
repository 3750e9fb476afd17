using System.Net.Http.Json;
using P2PShare.Core.Crypto;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;

namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>Talks to the tracker under test directly: reads its lists and plays a (possibly lying) peer.</summary>
internal sealed class TrackerProbe(string trackerUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(trackerUrl.TrimEnd('/') + "/") };

    public async Task<FileListResponse> FilesAsync(CancellationToken ct) =>
        (await _http.GetFromJsonAsync("api/files", TrackerApiJsonContext.Default.FileListResponse, ct))!;

    public async Task<FilePeersResponse> HoldersAsync(string hash, CancellationToken ct) =>
        (await _http.GetFromJsonAsync($"api/files/{hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, ct))!;

    /// <summary>
    /// Registers a fresh key pair's peer ID at <paramref name="port"/> (proving the key, as every registration must)
    /// and announces <paramref name="manifest"/> as its.
    /// </summary>
    public async Task<string> RegisterImpostorAsync(int port, FileManifest manifest, CancellationToken ct)
    {
        using var identity = PeerIdentity.Generate();
        string peerId = identity.PeerId;
        var challengeResponse = await _http.PostAsync("api/peers/register/challenge", null, ct);
        challengeResponse.EnsureSuccessStatusCode();
        var challenge = (await challengeResponse.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterChallengeResponse, ct))!;
        var request = new RegisterRequest { PeerId = peerId, PublicKey = Convert.ToHexStringLower(identity.PublicKey.Span), Port = port, Nonce = challenge.Nonce };
        request = request with { Proof = RegistrationProof.Compute(identity, Convert.FromHexString(challenge.TrackerPublicKey), request) };
        var register = await _http.PostAsJsonAsync("api/peers/register", request, TrackerApiJsonContext.Default.RegisterRequest, ct);
        register.EnsureSuccessStatusCode();
        var registered = (await register.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterResponse, ct))!;
        using var announce = new HttpRequestMessage(HttpMethod.Post, "api/files/announce")
        {
            Content = JsonContent.Create(new AnnounceRequest { PeerId = peerId, Manifest = manifest }, TrackerApiJsonContext.Default.AnnounceRequest),
        };
        announce.Headers.Add(TrackerHeaders.PeerToken, registered.Token);
        (await _http.SendAsync(announce, ct)).EnsureSuccessStatusCode();
        return peerId;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; external processes give no event to await.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The server may be restarting.
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}");
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
