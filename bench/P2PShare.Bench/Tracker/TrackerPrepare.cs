using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using P2PShare.Core.Chunking;
using P2PShare.Core.Crypto;
using P2PShare.Core.Hashing;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Bench.Tracker;

/// <summary>
/// <c>p2pshare-bench tracker-prepare --url URL --out DIR [--peers N] [--files N] [--holders N] [--register-pool N]</c>:
/// fills a running tracker with peers and files, then writes what the wrk scripts need: <c>DIR/data.lua</c>
/// (register bodies, heartbeat credentials, file hashes, BitTorrent info-hashes) and <c>DIR/whitelist.txt</c>
/// (the info-hashes for opentracker).
/// </summary>
internal static class TrackerPrepare
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var options = ParseArgs(args);
        if (!options.TryGetValue("url", out string? url) || !options.TryGetValue("out", out string? outDir))
        {
            await Console.Error.WriteLineAsync("usage: p2pshare-bench tracker-prepare --url URL --out DIR [--peers 1000] [--files 100] [--holders 20] [--register-pool 1000]");
            return 2;
        }

        int peerCount = Number(options, "peers", 1000);
        int fileCount = Number(options, "files", 100);
        int holders = Math.Min(Number(options, "holders", 20), peerCount);
        int registerPool = Number(options, "register-pool", 1000);
        using var client = new HttpClient { BaseAddress = new Uri(url) };

        var peers = new List<(string Id, string Token)>(peerCount);
        for (int i = 0; i < peerCount; i++)
        {
            using var identity = PeerIdentity.Generate();
            using var challengeResponse = await client.PostAsync("/api/peers/register/challenge", null, cancellationToken);
            challengeResponse.EnsureSuccessStatusCode();
            var challenge = (await challengeResponse.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterChallengeResponse, cancellationToken))!;
            var request = NewRegistration(identity, 6881 + (i % 50_000)) with { Nonce = challenge.Nonce };
            request = request with { Proof = RegistrationProof.Compute(identity, Convert.FromHexString(challenge.TrackerPublicKey), request) };
            using var response = await client.PostAsJsonAsync("/api/peers/register", request, TrackerApiJsonContext.Default.RegisterRequest, cancellationToken);
            response.EnsureSuccessStatusCode();
            var registered = (await response.Content.ReadFromJsonAsync(TrackerApiJsonContext.Default.RegisterResponse, cancellationToken))!;
            peers.Add((registered.PeerId, registered.Token));
        }

        var hashes = new List<string>(fileCount);
        for (int f = 0; f < fileCount; f++)
        {
            var manifest = RandomManifest($"bench-{f}.bin", chunks: 8);
            for (int h = 0; h < holders; h++)
            {
                var (id, token) = peers[((f * holders) + h) % peerCount];
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/files/announce")
                {
                    Content = JsonContent.Create(new AnnounceRequest { PeerId = id, Manifest = manifest }, TrackerApiJsonContext.Default.AnnounceRequest),
                };
                request.Headers.Add(TrackerHeaders.PeerToken, token);
                using var response = await client.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
            }

            hashes.Add(manifest.Hash);
        }

        Directory.CreateDirectory(outDir);
        // Unproved bodies: a replayed registration cannot carry a live nonce, so the benchmark's register mode asks
        // for challenges (the rate-limited half of a registration) and these only size the data file as before.
        var registerBodies = Enumerable.Range(0, registerPool).Select(i => System.Text.Json.JsonSerializer.Serialize(
            NewRegistration(null, 20_000 + (i % 40_000)), TrackerApiJsonContext.Default.RegisterRequest));
        await File.WriteAllTextAsync(Path.Combine(outDir, "data.lua"), LuaData(registerBodies, peers, hashes), cancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(outDir, "whitelist.txt"), hashes.Select(h => h[..40]), cancellationToken);
        Console.WriteLine($"prepared {peerCount} peers, {fileCount} files with {holders} holders each, {registerPool} register bodies");
        return 0;
    }

    private static RegisterRequest NewRegistration(PeerIdentity? identity, int port)
    {
        byte[] key = identity?.PublicKey.ToArray() ?? RandomNumberGenerator.GetBytes(PeerIds.PublicKeyLength);
        return new RegisterRequest { PeerId = PeerIds.FromPublicKey(key), PublicKey = Convert.ToHexStringLower(key), Port = port };
    }

    private static FileManifest RandomManifest(string name, int chunks)
    {
        var hashes = new ChunkHashes(chunks);
        for (int i = 0; i < chunks; i++)
        {
            RandomNumberGenerator.Fill(hashes.Slot(i));
        }

        return ManifestBuilder.FromHashes(name, ((long)(chunks - 1) * ChunkLayout.DefaultChunkSize) + 4096, hashes);
    }

    /// <summary>A Lua chunk returning the tables; every value is hex, base64url or quote-free JSON, so single quotes are safe.</summary>
    private static string LuaData(IEnumerable<string> registerBodies, List<(string Id, string Token)> peers, List<string> hashes)
    {
        var lua = new StringBuilder("return {\n  register = {\n");
        foreach (string body in registerBodies)
        {
            lua.Append("    '").Append(body).Append("',\n");
        }

        lua.Append("  },\n  heartbeat = {\n");
        foreach (var (id, token) in peers)
        {
            lua.Append("    { id = '").Append(id).Append("', token = '").Append(token).Append("' },\n");
        }

        lua.Append("  },\n  hashes = {\n");
        foreach (string hash in hashes)
        {
            lua.Append("    '").Append(hash).Append("',\n");
        }

        lua.Append("  },\n  info_hashes = {\n");
        foreach (string hash in hashes)
        {
            lua.Append("    '").Append(UrlEncodeHex(hash[..40])).Append("',\n");
        }

        return lua.Append("  },\n}\n").ToString();
    }

    /// <summary>Hex digits as the %XX-escaped raw bytes a BitTorrent announce carries.</summary>
    private static string UrlEncodeHex(string hex) =>
        string.Concat(Enumerable.Range(0, hex.Length / 2).Select(i => "%" + hex.Substring(i * 2, 2)));

    private static Dictionary<string, string> ParseArgs(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            result[args[i].TrimStart('-')] = args[i + 1];
        }

        return result;
    }

    private static int Number(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
