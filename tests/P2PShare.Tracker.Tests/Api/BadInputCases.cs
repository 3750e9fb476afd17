using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

/// <summary>
/// The bad-input table: every way a request can be malformed that the API promises to answer with a precise 4xx.
/// Bodies are built by breaking one field of a valid request at a time.
/// </summary>
internal static class BadInputCases
{
    /// <summary>The suite's body limit, small so oversized bodies are cheap to send.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public sealed record Case(string Method, string Path, string? ContentType, string? Body, HttpStatusCode Status, string DetailContains);

    public static readonly IReadOnlyDictionary<string, Case> All = Build();

    private static Dictionary<string, Case> Build()
    {
        var peer = TestPeer.Create();
        var cases = new Dictionary<string, Case>();
        void Register(string name, string body, string detail) => cases[$"register: {name}"] = Post("/api/peers/register", body, detail);
        void Announce(string name, string body, string detail) => cases[$"announce: {name}"] = Post("/api/files/announce", body, detail);

        Register("malformed JSON", "{\"peer_id\": ", "not a valid RegisterRequest");
        Register("empty body", "", "not a valid RegisterRequest");
        Register("JSON null", "null", "must be a JSON object");
        Register("JSON array", "[]", "not a valid RegisterRequest");
        Register("missing fields", "{}", "missing required properties");
        Register("null peer_id", RegisterWith(peer, r => r["peer_id"] = null), "$.peer_id must not be null");
        Register("non-hex peer_id", RegisterWith(peer, r => r["peer_id"] = new string('z', 40)), "peer_id must be 40 hex characters");
        Register("short peer_id", RegisterWith(peer, r => r["peer_id"] = peer.PeerId[..39]), "peer_id must be 40 hex characters");
        Register("non-hex public_key", RegisterWith(peer, r => r["public_key"] = new string('g', 64)), "public_key must be 64 hex characters");
        Register("long public_key", RegisterWith(peer, r => r["public_key"] = peer.PublicKey + "00"), "public_key must be 64 hex characters");
        Register("peer_id of another key", RegisterWith(peer, r => r["public_key"] = TestPeer.Create().PublicKey), "SHA-256(public_key)");
        Register("port 0", RegisterWith(peer, r => r["port"] = 0), "port must be between 1 and 65535");
        Register("port 65536", RegisterWith(peer, r => r["port"] = 65536), "port must be between 1 and 65535");
        Register("negative port", RegisterWith(peer, r => r["port"] = -1), "port must be between 1 and 65535");
        Register("port as string", RegisterWith(peer, r => r["port"] = "6881"), "$.port");
        Register("port beyond int", RegisterWith(peer, r => r["port"] = 1e20), "$.port");
        Register("udp_port 70000", RegisterWith(peer, r => r["udp_port"] = 70000), "udp_port must be between");
        Register("dht_port -1", RegisterWith(peer, r => r["dht_port"] = -1), "dht_port must be between");
        Register("nine LAN addresses", RegisterWith(peer, r => r["lan_addresses"] = new JsonArray([.. Enumerable.Range(1, 9).Select(i => JsonValue.Create($"10.0.0.{i}"))])), "at most 8");
        Register("LAN address not an IP", RegisterWith(peer, r => r["lan_addresses"] = new JsonArray("printer.local")), "lan_addresses[0] must be an IPv4 or IPv6 address");
        Register("LAN address null", RegisterWith(peer, r => r["lan_addresses"] = new JsonArray((JsonNode?)null)), "lan_addresses[0]");
        Register("name too long", RegisterWith(peer, r => r["name"] = new string('n', 65)), "name must be at most 64 characters");
        Register("name with control character", RegisterWith(peer, r => r["name"] = "bad\u0007name"), "name must not contain control characters");
        Register("nested too deep", new string('[', 200) + new string(']', 200), "not a valid RegisterRequest");
        cases["register: text/plain body"] = new("POST", "/api/peers/register", "text/plain", Serialize(peer.Registration()), HttpStatusCode.UnsupportedMediaType, "application/json");
        cases["register: no content type"] = new("POST", "/api/peers/register", null, Serialize(peer.Registration()), HttpStatusCode.UnsupportedMediaType, "application/json");
        cases["register: oversized body"] = Post("/api/peers/register", RegisterWith(peer, r => r["name"] = new string('x', (int)MaxBodyBytes)), "limit") with { Status = HttpStatusCode.RequestEntityTooLarge };

        cases["heartbeat: missing peer_id"] = Post("/api/peers/heartbeat", "{}", "missing required properties");
        cases["heartbeat: non-hex peer_id"] = Post("/api/peers/heartbeat", "{\"peer_id\":\"" + new string('x', 40) + "\"}", "peer_id must be 40 hex characters");
        cases["unregister: bad peer id"] = new("DELETE", "/api/peers/not-a-peer", null, null, HttpStatusCode.BadRequest, "peer ID must be 40 hex characters");

        Announce("missing manifest", $"{{\"peer_id\":\"{peer.PeerId}\"}}", "missing required properties");
        Announce("manifest missing chunk_hashes", AnnounceWith(peer, a => a["manifest"]!.AsObject().Remove("chunk_hashes")), "chunk_hashes");
        Announce("size 2^63-1", AnnounceWith(peer, a => a["manifest"]!["size"] = long.MaxValue), "size 9223372036854775807 is too large: a file may have at most 2147483647 chunks of 262144 bytes");
        Announce("non-hex file hash", AnnounceWith(peer, a => a["manifest"]!["hash"] = new string('q', 64)), "manifest: hash must be 64 hex characters");
        Announce("short file hash", AnnounceWith(peer, a => a["manifest"]!["hash"] = new string('a', 63)), "manifest: hash must be 64 hex characters");
        Announce("non-hex chunk hash", AnnounceWith(peer, a => a["manifest"]!["chunk_hashes"]![1] = new string('-', 64)), "chunk_hashes[1] must be 64 hex characters");
        Announce("chunk hashes not producing the hash", AnnounceWith(peer, a => a["manifest"]!["hash"] = new string('a', 64)), "Merkle root");
        Announce("wrong chunk_count", AnnounceWith(peer, a => a["manifest"]!["chunk_count"] = 4), "chunk_count must be 3");
        Announce("wrong chunk_size", AnnounceWith(peer, a => a["manifest"]!["chunk_size"] = 1024), "chunk_size must be 262144");
        Announce("negative size", AnnounceWith(peer, a => a["manifest"]!["size"] = -5), "size must not be negative");
        Announce("empty name", AnnounceWith(peer, a => a["manifest"]!["name"] = " "), "name must not be empty");
        Announce("name with control character", AnnounceWith(peer, a => a["manifest"]!["name"] = "a\nb"), "control characters");
        Announce("partial without verified_chunks", AnnounceWith(peer, a => a["complete"] = false), "verified_chunks is required");
        Announce("verified_chunks above chunk_count", AnnounceWith(peer, a => { a["complete"] = false; a["verified_chunks"] = 4; }), "verified_chunks must be between 0 and chunk_count (3)");
        Announce("negative verified_chunks", AnnounceWith(peer, a => { a["complete"] = false; a["verified_chunks"] = -1; }), "verified_chunks must be between");
        Announce("complete with fewer verified_chunks", AnnounceWith(peer, a => a["verified_chunks"] = 1), "when complete is true");
        Announce("complete as string", AnnounceWith(peer, a => a["complete"] = "yes"), "$.complete");
        Announce("non-hex peer_id", AnnounceWith(peer, a => a["peer_id"] = "nope"), "peer_id must be 40 hex characters");

        cases["withdraw: non-hex hash"] = Post("/api/files/withdraw", $"{{\"peer_id\":\"{peer.PeerId}\",\"hash\":\"xyz\"}}", "hash must be 64 hex characters");
        cases["withdraw: missing hash"] = Post("/api/files/withdraw", $"{{\"peer_id\":\"{peer.PeerId}\"}}", "missing required properties");

        cases["list: limit 0"] = Get("/api/files?limit=0", "limit must be a whole number between 1 and 500");
        cases["list: limit 501"] = Get("/api/files?limit=501", "limit must be a whole number between 1 and 500");
        cases["list: limit not a number"] = Get("/api/files?limit=ten", "limit must be");
        cases["list: negative offset"] = Get("/api/files?offset=-1", "offset must be");
        cases["list: query too long"] = Get("/api/files?q=" + new string('q', 256), "q must be at most 255 characters");
        cases["manifest: non-hex hash"] = Get("/api/files/" + new string('z', 64), "file hash must be 64 hex characters");
        cases["manifest: short hash"] = Get("/api/files/abc123", "file hash must be 64 hex characters");
        cases["peers: non-hex hash"] = Get($"/api/files/{new string('z', 64)}/peers", "file hash must be 64 hex characters");
        cases["events: plain GET on /ws"] = Get("/ws", "WebSocket");
        return cases;
    }

    private static Case Post(string path, string body, string detail) => new("POST", path, "application/json", body, HttpStatusCode.BadRequest, detail);

    private static Case Get(string path, string detail) => new("GET", path, null, null, HttpStatusCode.BadRequest, detail);

    private static string Serialize<T>(T value) =>
        JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)TrackerApiJsonContext.Default.GetTypeInfo(typeof(T))!);

    private static string RegisterWith(TestPeer peer, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(Serialize(peer.Registration()))!.AsObject();
        change(json);
        return json.ToJsonString();
    }

    private static string AnnounceWith(TestPeer peer, Action<JsonObject> change)
    {
        var request = new AnnounceRequest { PeerId = peer.PeerId, Manifest = TestManifests.Random(chunks: 3) };
        var json = JsonNode.Parse(Serialize(request))!.AsObject();
        change(json);
        return json.ToJsonString();
    }
}
