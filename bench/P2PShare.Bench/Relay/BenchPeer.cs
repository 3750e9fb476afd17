using System.Net.Http.Json;
using P2PShare.Core.Crypto;
using P2PShare.Core.TrackerApi;
using P2PShare.Net.Relay;

namespace P2PShare.Bench.Relay;

/// <summary>A peer identity registered with a running tracker, with a relay client for it.</summary>
internal sealed class BenchPeer : IAsyncDisposable
{
    private BenchPeer(PeerIdentity identity, RelayClient client)
    {
        Identity = identity;
        Client = client;
    }

    public PeerIdentity Identity { get; }

    public RelayClient Client { get; }

    public static async Task<BenchPeer> RegisterAsync(HttpClient http, Uri tracker, CancellationToken ct)
    {
        var identity = PeerIdentity.Generate();
        using var challengeResponse = await http.PostAsync(new Uri(tracker, "/api/peers/register/challenge"), null, ct);
        challengeResponse.EnsureSuccessStatusCode();
        var challenge = (await challengeResponse.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterChallengeResponse, ct))!;
        var request = new RegisterRequest
        {
            PeerId = identity.PeerId,
            PublicKey = Convert.ToHexStringLower(identity.PublicKey.Span),
            Port = 6881,
            AcceptsRelay = true,
            Nonce = challenge.Nonce,
        };
        request = request with { Proof = RegistrationProof.Compute(identity, Convert.FromHexString(challenge.TrackerPublicKey), request) };
        using var response = await http.PostAsJsonAsync(new Uri(tracker, "/api/peers/register"), request, TrackerApiJsonContext.Default.RegisterRequest, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"register: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }

        var registration = (await response.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterResponse, ct))!;
        var client = new RelayClient(new RelayClientOptions { Tracker = tracker, PeerId = identity.PeerId, Token = () => registration.Token }, TimeProvider.System);
        return new BenchPeer(identity, client);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Identity.Dispose();
    }
}
