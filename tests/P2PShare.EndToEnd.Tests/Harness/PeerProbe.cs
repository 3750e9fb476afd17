using System.Net.Http.Json;
using System.Net.Sockets;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Core.TrackerApi;

namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>
/// A bare client of the peer wire protocol with its own identity: dials a peer's P2P port directly and asks for a
/// manifest, as anyone who knows a file ID could.
/// </summary>
internal static class PeerProbe
{
    /// <summary>True when the peer at <paramref name="port"/> answered the Hello and sent (part of) the manifest.</summary>
    public static async Task<bool> GetsManifestAsync(PeerIdentity identity, int port, string fileId, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
        try
        {
            await using var secure = await SecureChannel.ConnectAsync(tcp.GetStream(), identity, null, timeout.Token);
            await using var reader = FrameReader.Create(secure, leaveOpen: true);
            using var writer = new FrameWriter(secure);
            var hello = await HelloExchange.RunAsync(reader, writer, Hello.ForThisBuild(identity.PeerId, 0, "probe"), secure.RemotePeerId, timeout.Token);
            if (!hello.Succeeded)
            {
                return false;
            }

            await writer.WriteAsync(new ManifestRequest(fileId, 0), timeout.Token);
            while (true)
            {
                using var frame = await reader.ReadAsync(timeout.Token);
                if (frame.Status != FrameReadStatus.Message)
                {
                    return false;
                }

                if (frame.Message is Manifest manifest)
                {
                    return manifest.FileId == fileId && manifest.Data.Length > 0;
                }
            }
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Registers <paramref name="identity"/> with the tracker (challenge and proof), as a peer would.</summary>
    public static async Task RegisterAsync(string trackerUrl, string? apiKey, PeerIdentity identity, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(trackerUrl) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add(TrackerHeaders.ApiKey, apiKey);
        }

        using var challengeResponse = await http.PostAsync("/api/peers/register/challenge", null, ct);
        challengeResponse.EnsureSuccessStatusCode();
        var challenge = (await challengeResponse.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterChallengeResponse, ct))!;
        var request = new RegisterRequest
        {
            PeerId = identity.PeerId,
            PublicKey = Convert.ToHexStringLower(identity.PublicKey.Span),
            Port = 9,
            Nonce = challenge.Nonce,
        };
        request = request with { Proof = RegistrationProof.Compute(identity, Convert.FromHexString(challenge.TrackerPublicKey), request) };
        using var registered = await http.PostAsJsonAsync("/api/peers/register", request, TrackerApiJsonContext.Default.RegisterRequest, ct);
        registered.EnsureSuccessStatusCode();
    }
}
