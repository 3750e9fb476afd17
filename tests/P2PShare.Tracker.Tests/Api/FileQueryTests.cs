using System.Net;
using System.Text.Json;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class FileQueryTests
{
    [Fact]
    public async Task ListFiles_Paged_ReturnsTheRequestedSliceNewestFirstAndTheTotal()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var hashes = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            var manifest = TestManifests.Random($"file-{i}.bin");
            using var announced = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, manifest, host.Token);
            hashes.Add(manifest.Hash);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await host.Client.GetFromJsonOrFailAsync("/api/files?limit=2&offset=1", TrackerApiJsonContext.Default.FileListResponse, host.Token);

        Assert.Equal(5, page.Total);
        Assert.Equal(2, page.Limit);
        Assert.Equal(1, page.Offset);
        Assert.Equal(["file-3.bin", "file-2.bin"], page.Files.Select(f => f.Name));
        Assert.Equal(hashes[3], page.Files[0].Hash);
    }

    [Fact]
    public async Task ListFiles_NameQuery_MatchesCaseInsensitively()
    {
        await using var host = await TrackerHost.StartAsync();
        await host.Client.SeedAsync(host.Token, name: "Holiday Photos.zip");
        await host.Client.SeedAsync(host.Token, name: "report.pdf");

        var page = await host.Client.GetFromJsonOrFailAsync("/api/files?q=PHOTO", TrackerApiJsonContext.Default.FileListResponse, host.Token);

        Assert.Equal(1, page.Total);
        Assert.Equal("Holiday Photos.zip", Assert.Single(page.Files).Name);
    }

    [Fact]
    public async Task ListFiles_Always_OmitsChunkHashesAndCountsHolders()
    {
        await using var host = await TrackerHost.StartAsync();
        var (_, _, manifest) = await host.Client.SeedAsync(host.Token);

        string json = await host.Client.GetStringAsync("/api/files", host.Token);
        using var document = JsonDocument.Parse(json);
        var file = document.RootElement.GetProperty("files")[0];

        Assert.False(file.TryGetProperty("chunk_hashes", out _));
        Assert.Equal(manifest.Hash, file.GetProperty("hash").GetString());
        Assert.Equal(manifest.Size, file.GetProperty("size").GetInt64());
        Assert.Equal(manifest.ChunkCount, file.GetProperty("chunk_count").GetInt32());
        Assert.Equal(262144, file.GetProperty("chunk_size").GetInt32());
        Assert.Equal(1, file.GetProperty("holders").GetInt32());
        Assert.Equal(1, file.GetProperty("seeders").GetInt32());
        Assert.Equal(TrackerHost.Start, file.GetProperty("announced_at").GetDateTimeOffset());
        Assert.Equal(50, document.RootElement.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task GetManifest_KnownFile_ReturnsTheFullManifest()
    {
        await using var host = await TrackerHost.StartAsync();
        var (_, _, manifest) = await host.Client.SeedAsync(host.Token);

        var stored = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}", TrackerApiJsonContext.Default.FileManifest, host.Token);

        Assert.Equal(manifest.Hash, stored.Hash);
        Assert.Equal(manifest.Name, stored.Name);
        Assert.Equal(manifest.Size, stored.Size);
        Assert.Equal(manifest.ChunkHashes, stored.ChunkHashes);
    }

    [Fact]
    public async Task GetManifest_UnknownFile_Returns404()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.GetAsync($"/api/files/{TestManifests.Random().Hash}", host.Token);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
    }

    [Fact]
    public async Task GetFilePeers_Holders_ListsAddressesKeysCompletenessAndLastSeen()
    {
        await using var host = await TrackerHost.StartAsync();
        var seeder = TestPeer.Create();
        var leecher = TestPeer.Create();
        var manifest = TestManifests.Random(chunks: 8);
        using (var registered = await host.Client.PostRegistrationAsync(
            seeder, seeder.Registration(7000) with { UdpPort = 7001, DhtPort = 7002, LanAddresses = ["10.0.0.5"] }, host.Token))
        {
            var seederToken = (await registered.ReadAsync(TrackerApiJsonContext.Default.RegisterResponse, host.Token)).Token;
            using var announced = await host.Client.AnnounceAsync(seeder.PeerId, seederToken, manifest, host.Token);
        }

        host.Time.Advance(TimeSpan.FromSeconds(5));
        var leecherToken = (await host.Client.RegisterAsync(leecher, host.Token, port: 7100)).Token;
        using var partial = await host.Client.AnnounceAsync(leecher.PeerId, leecherToken, manifest, host.Token, complete: false, verifiedChunks: 2);

        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        Assert.Equal(manifest.Hash, holders.Hash);
        Assert.Equal(2, holders.Peers.Count);
        var first = holders.Peers[0];
        Assert.Equal(seeder.PeerId, first.PeerId);
        Assert.Equal(seeder.PublicKey, first.PublicKey);
        Assert.Equal("127.0.0.1", first.Address);
        Assert.Equal(7000, first.Port);
        Assert.Equal(7001, first.UdpPort);
        Assert.Equal(7002, first.DhtPort);
        Assert.Equal(["10.0.0.5"], first.LanAddresses);
        Assert.True(first.Complete);
        Assert.Equal(8, first.VerifiedChunks);
        Assert.Equal(TrackerHost.Start, first.LastSeen);
        var second = holders.Peers[1];
        Assert.Equal(leecher.PeerId, second.PeerId);
        Assert.False(second.Complete);
        Assert.Equal(2, second.VerifiedChunks);
        Assert.Equal(TrackerHost.Start.AddSeconds(5), second.LastSeen);
    }

    [Fact]
    public async Task GetFilePeers_UnknownFile_Returns404()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.GetAsync($"/api/files/{TestManifests.Random().Hash}/peers", host.Token);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
    }

    [Fact]
    public async Task ListPeers_Registered_ListsEveryLivePeerWithItsFileCount()
    {
        await using var host = await TrackerHost.StartAsync();
        var (seeder, _, _) = await host.Client.SeedAsync(host.Token);
        var idle = TestPeer.Create();
        await host.Client.RegisterAsync(idle, host.Token);

        var list = await host.Client.GetFromJsonOrFailAsync("/api/peers", TrackerApiJsonContext.Default.PeerListResponse, host.Token);

        Assert.Equal(2, list.Peers.Count);
        Assert.Equal(1, list.Peers.Single(p => p.PeerId == seeder.PeerId).Files);
        Assert.Equal(0, list.Peers.Single(p => p.PeerId == idle.PeerId).Files);
        Assert.DoesNotContain("token", await host.Client.GetStringAsync("/api/peers", host.Token));
    }
}
