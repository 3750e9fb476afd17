using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>Drives a running node through its control API, found the way the one-shot verbs find it (control.json).</summary>
internal sealed class ControlProbe : IDisposable
{
    private readonly HttpClient _http;

    public ControlProbe(string dataDir)
    {
        var endpoint = JsonNode.Parse(File.ReadAllText(Path.Combine(dataDir, ".p2pshare", "control.json")))!;
        _http = new HttpClient { BaseAddress = new Uri(endpoint["url"]!.GetValue<string>().TrimEnd('/') + "/") };
        _http.DefaultRequestHeaders.Add("X-Control-Token", endpoint["token"]!.GetValue<string>());
    }

    public async Task<JsonNode> GetAsync(string path, CancellationToken ct) =>
        JsonNode.Parse(await _http.GetStringAsync(path, ct))!;

    public async Task<JsonNode> PostAsync(string path, object body, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(path, body, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new HttpRequestException($"{path}: {(int)response.StatusCode} {text}");
    }

    public Task<JsonNode> StartDownloadAsync(string hash, CancellationToken ct) => PostAsync("downloads", new { hash }, ct);

    public Task<JsonNode> DownloadAsync(string hash, CancellationToken ct) => GetAsync($"downloads/{hash}", ct);

    /// <summary>Starts the download of <paramref name="hash"/> and waits until it has completed; returns its final state.</summary>
    public async Task<JsonNode> DownloadToCompletionAsync(string hash, TimeSpan timeout, CancellationToken ct)
    {
        await StartDownloadAsync(hash, ct);
        return await WaitForDownloadAsync(hash, IsCompleted, timeout, ct);
    }

    /// <summary>Polls the download until <paramref name="condition"/> holds for it (the node raises no event a test can await).</summary>
    public async Task<JsonNode> WaitForDownloadAsync(string hash, Func<JsonNode, bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        JsonNode? last = null;
        try
        {
            await TrackerProbe.EventuallyAsync(
                async () =>
                {
                    last = await DownloadAsync(hash, ct);
                    if (last["state"]!.GetValue<string>() == "failed" && !condition(last))
                    {
                        throw new InvalidOperationException($"download failed: {last.ToJsonString()}");
                    }

                    return condition(last);
                },
                timeout,
                $"download {hash}",
                ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last state {last?.ToJsonString()}", ex);
        }

        return last!;
    }

    public static bool IsCompleted(JsonNode download) => download["state"]!.GetValue<string>() == "completed";

    public static double Fraction(JsonNode download) =>
        download["verified_chunks"]!.GetValue<int>() / (double)Math.Max(1, download["chunk_count"]!.GetValue<int>());

    public static Dictionary<string, long> BytesFromPeers(JsonNode download) =>
        download["bytes_from_peers"]?.Deserialize<Dictionary<string, long>>() ?? [];

    public void Dispose() => _http.Dispose();
}
