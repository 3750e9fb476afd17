using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

/// <summary>
/// Property tests: random JSON, and valid requests with one field replaced by a random value, sent to every POST
/// endpoint, plus random path and query values on the GET endpoints. Whatever arrives, the answer is never a 5xx,
/// and every 4xx is a problem document.
/// </summary>
public sealed class NeverServerErrorTests
{
    private static readonly string[] FieldNames =
    [
        "peer_id", "public_key", "port", "udp_port", "dht_port", "lan_addresses", "name", "version", "manifest", "complete",
        "verified_chunks", "hash", "size", "chunk_size", "chunk_count", "chunk_hashes", "extra",
    ];

    private static readonly string[] PostPaths = ["/api/peers/register", "/api/peers/heartbeat", "/api/files/announce", "/api/files/withdraw"];

    private static readonly Gen<string> Hexish = Gen.OneOf(
        Gen.Char["0123456789abcdefABCDEF"].Array[40].Select(c => new string(c)),
        Gen.Char["0123456789abcdef"].Array[64].Select(c => new string(c)),
        Gen.Char["0123456789abcdefxyz"].Array[0, 70].Select(c => new string(c)));

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.Const<JsonNode?>(default(JsonNode)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double.Select(d => (JsonNode?)JsonValue.Create(double.IsFinite(d) ? d : 0)),
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
        Hexish.Select(s => (JsonNode?)JsonValue.Create(s)));

    private static readonly Gen<JsonNode?> AnyValue = Value(3);

    [Fact]
    public async Task PostEndpoints_RandomJson_NeverAnswer5xx()
    {
        await using var host = await TrackerHost.StartAsync();
        var body = Gen.OneOf(Object(3).Select(o => o.ToJsonString()), Gen.String, AnyValue.Select(v => v?.ToJsonString() ?? "null"));

        await Gen.Select(Gen.OneOfConst(PostPaths), body).SampleAsync(
            async (path, json) => await AssertNoServerErrorAsync(host, HttpMethod.Post, path, json),
            iter: 300,
            threads: 1);
    }

    [Fact]
    public async Task PostEndpoints_ValidRequestWithOneFieldReplaced_NeverAnswer5xx()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var manifest = TestManifests.Random(chunks: 4);
        var valid = new (string Path, JsonObject Body)[]
        {
            ("/api/peers/register", Parse(peer.Registration() with { LanAddresses = ["10.0.0.1"], Name = "n", Version = "v" })),
            ("/api/peers/heartbeat", Parse(new HeartbeatRequest { PeerId = peer.PeerId })),
            ("/api/files/announce", Parse(new AnnounceRequest { PeerId = peer.PeerId, Manifest = manifest, Complete = false, VerifiedChunks = 2 })),
            ("/api/files/withdraw", Parse(new WithdrawRequest { PeerId = peer.PeerId, Hash = manifest.Hash })),
        };

        await Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 100], AnyValue).SampleAsync(
            async (which, fieldPick, replacement) =>
            {
                var (path, template) = valid[which];
                var body = (JsonObject)template.DeepClone();
                var target = fieldPick % 3 == 0 && body["manifest"] is JsonObject inner ? inner : body;
                var names = target.Select(p => p.Key).ToArray();
                target[names[fieldPick % names.Length]] = replacement?.DeepClone();
                await AssertNoServerErrorAsync(host, HttpMethod.Post, path, body.ToJsonString(), registration.Token);
            },
            iter: 400,
            threads: 1);
    }

    [Fact]
    public async Task GetEndpoints_RandomPathAndQueryValues_NeverAnswer5xx()
    {
        await using var host = await TrackerHost.StartAsync();
        await host.Client.SeedAsync(host.Token);
        var text = Gen.OneOf(Gen.String, Hexish, Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await Gen.Select(Gen.Int[0, 3], text).SampleAsync(
            async (which, value) =>
            {
                string escaped = Uri.EscapeDataString(value);
                string path = which switch
                {
                    0 => $"/api/files/{escaped}",
                    1 => $"/api/files/{escaped}/peers",
                    2 => $"/api/files?limit={escaped}&offset={escaped}&q={escaped}",
                    _ => $"/api/peers/{escaped}",
                };
                await AssertNoServerErrorAsync(host, which == 3 ? HttpMethod.Delete : HttpMethod.Get, path, null);
            },
            iter: 300,
            threads: 1);
    }

    private static async Task AssertNoServerErrorAsync(TrackerHost host, HttpMethod method, string path, string? json, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Add(TrackerHeaders.PeerToken, token);
        }

        using var response = await host.Client.SendAsync(request, host.Token);
        int status = (int)response.StatusCode;
        Assert.True(status < 500, $"{method} {path} with {json} answered {status}: {await response.Content.ReadAsStringAsync(host.Token)}");
        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static Gen<JsonNode?> Value(int depth) => depth == 0
        ? Leaf
        : Gen.Frequency((4, Leaf), (1, Value(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items]))), (1, Object(depth - 1).Select(o => (JsonNode?)o)));

    private static Gen<JsonObject> Object(int depth) =>
        Gen.Select(Gen.OneOf(Gen.OneOfConst(FieldNames), Gen.String), depth == 0 ? Leaf : Value(depth - 1)).Array[0, 6].Select(fields =>
        {
            var result = new JsonObject();
            foreach (var (name, value) in fields)
            {
                result[name] = value;
            }

            return result;
        });

    private static JsonObject Parse<T>(T value) =>
        JsonNode.Parse(JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)TrackerApiJsonContext.Default.GetTypeInfo(typeof(T))!))!.AsObject();
}
