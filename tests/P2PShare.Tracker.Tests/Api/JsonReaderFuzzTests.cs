using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Api;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

/// <summary>
/// Valid request bodies mutated byte by byte (flipped, cut, inserted, spliced with another body): the JSON readers
/// and the request validators either accept a body or say why not, and never throw anything but the serializer's
/// <see cref="JsonException"/>; through the tracker, no answer is a 5xx. Each runs for <see cref="FuzzBudget.Seconds"/>.
/// </summary>
public sealed class JsonReaderFuzzTests
{
    private static readonly TestPeer Peer = TestPeer.Create();
    private static readonly Core.Manifests.FileManifest Manifest = TestManifests.Random(chunks: 4);

    private static readonly (string Path, byte[] Body)[] Valid =
    [
        ("/api/peers/register", Json(Peer.Registration() with { LanAddresses = ["10.0.0.1", "fd00::1"], Name = "n", Version = "v" }, TrackerApiJsonContext.Default.RegisterRequest)),
        ("/api/peers/heartbeat", Json(new HeartbeatRequest { PeerId = Peer.PeerId }, TrackerApiJsonContext.Default.HeartbeatRequest)),
        ("/api/files/announce", Json(new AnnounceRequest { PeerId = Peer.PeerId, Manifest = Manifest, Complete = false, VerifiedChunks = 2 }, TrackerApiJsonContext.Default.AnnounceRequest)),
        ("/api/files/withdraw", Json(new WithdrawRequest { PeerId = Peer.PeerId, Hash = Manifest.Hash }, TrackerApiJsonContext.Default.WithdrawRequest)),
    ];

    private static readonly Gen<(int Which, byte[] Body)> Mutated =
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, Valid.Length - 1])
            .Select(m =>
            {
                var (which, kind, at, value, other) = m;
                byte[] body = Valid[which].Body;
                int position = at % body.Length;
                byte[] mutated = kind switch
                {
                    0 => Flip(body, position, value),
                    1 => body[..position],
                    2 => [.. body[..position], value, .. body[position..]],
                    3 => [.. body[..position], .. body[(position + 1)..]],
                    _ => [.. body[..position], .. Valid[other].Body[(at % Valid[other].Body.Length)..]],
                };
                return (which, mutated);
            });

    /// <summary>The peer ID the kept bodies name (the API doc's example); over HTTP it stands for the registered peer.</summary>
    private const string CorpusPeerId = "630dcd2966c4336691125448bbb25b4ff412a49c";

    private static readonly IReadOnlyList<(string Name, string Line)> Corpus = FuzzCorpus.ReadText("Api/FuzzCorpus/bodies.txt");

    [Fact]
    public void ReadAndValidate_KeptCorpus_EachAcceptedOrExplained()
    {
        FuzzCorpus.ForEach(Corpus, line => ReadAndValidate(Encoding.UTF8.GetBytes(PathAndBody(line).Body)));
    }

    [Fact]
    public async Task PostEndpoints_KeptCorpus_NeverAnswer5xx()
    {
        await using var host = await TrackerHost.StartAsync();
        var registration = await host.Client.RegisterAsync(Peer, host.Token);
        foreach (var (name, line) in Corpus)
        {
            var (path, body) = PathAndBody(line);
            body = body.Replace(CorpusPeerId, Peer.PeerId, StringComparison.Ordinal); // so the token fits and the body reaches its checks
            await PostAndCheckAsync(host, registration.Token, path, Encoding.UTF8.GetBytes(body), name);
        }
    }

    [Fact]
    public void ReadAndValidate_MutatedBodies_AcceptOrExplainNeverThrow()
    {
        // Every reader sees every body: one meant for one endpoint arriving at another is bad input too.
        Mutated.Sample(
            m => ReadAndValidate(m.Body),
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            threads: 1);
    }

    [Fact]
    public async Task PostEndpoints_MutatedBodies_NeverAnswer5xx()
    {
        // The host's hard limit must outlast the fuzz budget, or a longer run (bench/fuzz.sh) ends in its own timeout.
        await using var host = await TrackerHost.StartAsync(limit: TimeSpan.FromSeconds(FuzzBudget.Seconds + 30));
        var registration = await host.Client.RegisterAsync(Peer, host.Token);

        await Mutated.SampleAsync(
            m => PostAndCheckAsync(host, registration.Token, Valid[m.Which].Path, m.Body, Encoding.UTF8.GetString(m.Body)),
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            threads: 1);
    }

    /// <summary>No answer is a 5xx, and every refusal is a problem document.</summary>
    private static async Task PostAndCheckAsync(TrackerHost host, string peerToken, string path, byte[] body, string what)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
        };
        request.Headers.Add(TrackerHeaders.PeerToken, peerToken);
        using var response = await host.Client.SendAsync(request, host.Token);
        Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode} to {what}");
        if (response.StatusCode is >= HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static (string Path, string Body) PathAndBody(string line)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        return (line[..space], line[(space + 1)..]);
    }

    private static void ReadAndValidate(byte[] body)
    {
        if (Read(body, TrackerApiJsonContext.Default.RegisterRequest) is { } register)
        {
            Explained(PeerRequestValidator.Validate(register, out _), register);
        }

        if (Read(body, TrackerApiJsonContext.Default.AnnounceRequest) is { } announce)
        {
            Explained(FileRequestValidator.Validate(announce, out _, out _), announce);
        }

        if (Read(body, TrackerApiJsonContext.Default.WithdrawRequest) is { } withdraw)
        {
            Explained(FileRequestValidator.Validate(withdraw, out _), withdraw);
        }

        if (Read(body, TrackerApiJsonContext.Default.HeartbeatRequest) is { } heartbeat)
        {
            Explained(HeartbeatValidator.Validate(heartbeat, out _), heartbeat);
        }
    }

    private static T? Read<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A refusal is a message a client can read; acceptance needs nothing more.</summary>
    private static void Explained(string? error, object request) =>
        Assert.True(error is null || error.Length is > 0 and < 4096, $"validator gave an empty or huge message for {request}");

    private static byte[] Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    private static byte[] Flip(byte[] source, int position, byte value)
    {
        var bytes = (byte[])source.Clone();
        bytes[position] ^= (byte)(value | 1);
        return bytes;
    }
}
