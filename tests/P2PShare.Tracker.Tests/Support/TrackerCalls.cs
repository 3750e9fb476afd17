using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>The tracker's API as a test drives it: each call returns the raw response unless it must succeed.</summary>
internal static class TrackerCalls
{
    public static async Task<RegisterResponse> RegisterAsync(this HttpClient client, TestPeer peer, CancellationToken cancellationToken, int port = 6881)
    {
        using var response = await client.PostRegistrationAsync(peer, peer.Registration(port), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterResponse, cancellationToken))!;
    }

    public static async Task<RegisterChallengeResponse> ChallengeAsync(this HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("/api/peers/register/challenge", null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterChallengeResponse, cancellationToken))!;
    }

    /// <summary>Gets a challenge, proves <paramref name="request"/> with <paramref name="prover"/>'s key and posts it; returns the raw response.</summary>
    public static async Task<HttpResponseMessage> PostRegistrationAsync(this HttpClient client, TestPeer prover, RegisterRequest request, CancellationToken cancellationToken)
    {
        var challenge = await client.ChallengeAsync(cancellationToken);
        return await client.PostJsonAsync("/api/peers/register", prover.Prove(request, challenge), null, cancellationToken);
    }

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body, string? token, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (token is not null)
        {
            request.Headers.Add(TrackerHeaders.PeerToken, token);
        }

        return client.SendAsync(request, cancellationToken);
    }

    public static Task<HttpResponseMessage> HeartbeatAsync(this HttpClient client, string peerId, string? token, CancellationToken cancellationToken) =>
        client.PostJsonAsync("/api/peers/heartbeat", new HeartbeatRequest { PeerId = peerId }, token, cancellationToken);

    public static Task<HttpResponseMessage> AnnounceAsync(
        this HttpClient client, string peerId, string? token, FileManifest manifest, CancellationToken cancellationToken, bool complete = true, int? verifiedChunks = null) =>
        client.PostJsonAsync(
            "/api/files/announce",
            new AnnounceRequest { PeerId = peerId, Manifest = manifest, Complete = complete, VerifiedChunks = verifiedChunks },
            token,
            cancellationToken);

    public static Task<HttpResponseMessage> WithdrawAsync(this HttpClient client, string peerId, string? token, string hash, CancellationToken cancellationToken) =>
        client.PostJsonAsync("/api/files/withdraw", new WithdrawRequest { PeerId = peerId, Hash = hash }, token, cancellationToken);

    public static Task<HttpResponseMessage> UnregisterAsync(this HttpClient client, string peerId, string? token, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/peers/{peerId}");
        if (token is not null)
        {
            request.Headers.Add(TrackerHeaders.PeerToken, token);
        }

        return client.SendAsync(request, cancellationToken);
    }

    /// <summary>Registers a fresh peer and announces a fresh manifest from it.</summary>
    public static async Task<(TestPeer Peer, RegisterResponse Registration, FileManifest Manifest)> SeedAsync(
        this HttpClient client, CancellationToken cancellationToken, string name = "seeded.bin")
    {
        var peer = TestPeer.Create();
        var registration = await client.RegisterAsync(peer, cancellationToken);
        var manifest = TestManifests.Random(name);
        using var response = await client.AnnounceAsync(peer.PeerId, registration.Token, manifest, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (peer, registration, manifest);
    }

    /// <summary>GETs a path, asserts 200 and parses the body.</summary>
    public static async Task<T> GetFromJsonOrFailAsync<T>(this HttpClient client, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync(type, cancellationToken);
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        (await response.Content.ReadFromJsonAsync(type, cancellationToken))!;

    /// <summary>Asserts an RFC 9457 problem with this status and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, CancellationToken cancellationToken)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        string detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        Assert.False(string.IsNullOrWhiteSpace(detail), "the problem has no detail");
        return detail;
    }

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonContent Json<T>(T body) =>
        JsonContent.Create(body, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)TrackerApiJsonContext.Default.GetTypeInfo(typeof(T))!);
}
