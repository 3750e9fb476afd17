using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class AnnounceTests
{
    [Fact]
    public async Task Announce_NewManifest_Returns201WithCreatedAndLocation()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var manifest = TestManifests.Random("movie.mkv", chunks: 5);

        using var response = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, manifest, host.Token);
        var body = await response.ReadAsync(TrackerApiJsonContext.Default.AnnounceResponse, host.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/files/{manifest.Hash}", response.Headers.Location?.OriginalString);
        Assert.Equal(new AnnounceResponse { Hash = manifest.Hash, Created = true }, body);
    }

    [Fact]
    public async Task Announce_KnownManifestFromAnotherPeer_Returns200AndAddsAHolder()
    {
        await using var host = await TrackerHost.StartAsync();
        var (_, _, manifest) = await host.Client.SeedAsync(host.Token);
        var second = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(second, host.Token);

        using var response = await host.Client.AnnounceAsync(second.PeerId, registration.Token, manifest, host.Token);
        var body = await response.ReadAsync(TrackerApiJsonContext.Default.AnnounceResponse, host.Token);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.Created);
        Assert.Equal(2, holders.Peers.Count);
    }

    [Fact]
    public async Task Announce_SameHashDifferentSize_Returns409AndKeepsTheFirstManifest()
    {
        await using var host = await TrackerHost.StartAsync();
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token);

        // One byte less still gives the same chunk count, so the manifest validates; only the catalogue can tell.
        using var response = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, manifest with { Size = manifest.Size - 1 }, host.Token);
        var stored = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}", TrackerApiJsonContext.Default.FileManifest, host.Token);

        string detail = await response.AssertProblemAsync(HttpStatusCode.Conflict, host.Token);
        Assert.Contains(manifest.Hash, detail);
        Assert.Equal(manifest.Size, stored.Size);
    }

    [Fact]
    public async Task Announce_SameContentDifferentName_Returns200AndKeepsTheFirstName()
    {
        await using var host = await TrackerHost.StartAsync();
        var (_, _, manifest) = await host.Client.SeedAsync(host.Token, name: "original.iso");
        var second = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(second, host.Token);

        using var response = await host.Client.AnnounceAsync(second.PeerId, registration.Token, manifest with { Name = "renamed.iso" }, host.Token);
        var stored = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}", TrackerApiJsonContext.Default.FileManifest, host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("original.iso", stored.Name);
    }

    [Fact]
    public async Task Announce_Partial_RecordsVerifiedChunksAndCountsAHolderButNoSeeder()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var manifest = TestManifests.Random(chunks: 10);

        using var response = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, manifest, host.Token, complete: false, verifiedChunks: 4);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);
        var list = await host.Client.GetFromJsonOrFailAsync("/api/files", TrackerApiJsonContext.Default.FileListResponse, host.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var holder = Assert.Single(holders.Peers);
        Assert.False(holder.Complete);
        Assert.Equal(4, holder.VerifiedChunks);
        var summary = Assert.Single(list.Files);
        Assert.Equal(1, summary.Holders);
        Assert.Equal(0, summary.Seeders);
    }

    [Fact]
    public async Task Announce_PartialThenComplete_UpdatesTheHolding()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var manifest = TestManifests.Random(chunks: 4);
        using var partial = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, manifest, host.Token, complete: false, verifiedChunks: 1);

        using var complete = await host.Client.AnnounceAsync(peer.PeerId, registration.Token, manifest, host.Token);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        var holder = Assert.Single(holders.Peers);
        Assert.True(holder.Complete);
        Assert.Equal(4, holder.VerifiedChunks);
    }

    [Fact]
    public async Task Announce_UppercaseHex_IsStoredLowercase()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var manifest = TestManifests.Random();
        var shouted = manifest with { Hash = manifest.Hash.ToUpperInvariant(), ChunkHashes = [.. manifest.ChunkHashes.Select(h => h.ToUpperInvariant())] };

        using var response = await host.Client.AnnounceAsync(peer.PeerId.ToUpperInvariant(), registration.Token, shouted, host.Token);
        var stored = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash.ToUpperInvariant()}", TrackerApiJsonContext.Default.FileManifest, host.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(manifest.Hash, stored.Hash);
        Assert.Equal(manifest.ChunkHashes, stored.ChunkHashes);
    }

    [Fact]
    public async Task Announce_RawJsonWithoutComplete_CountsTheHolderAsComplete()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var manifest = TestManifests.Random(chunks: 2);
        string json = $"{{\"peer_id\":\"{peer.PeerId}\",\"manifest\":{P2PShare.Core.Manifests.ManifestJson.Serialize(manifest, indented: false)}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/files/announce") { Content = TrackerCalls.RawJson(json) };
        request.Headers.Add(TrackerHeaders.PeerToken, registration.Token);

        using var response = await host.Client.SendAsync(request, host.Token);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var holder = Assert.Single(holders.Peers);
        Assert.True(holder.Complete);
        Assert.Equal(2, holder.VerifiedChunks);
    }

    [Fact]
    public async Task Announce_UnknownPeer_Returns404()
    {
        await using var host = await TrackerHost.StartAsync();

        using var response = await host.Client.AnnounceAsync(TestPeer.Create().PeerId, "token", TestManifests.Random(), host.Token);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
    }

    [Fact]
    public async Task Announce_AnotherPeersToken_Returns403()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        await host.Client.RegisterAsync(peer, host.Token);
        var other = await host.Client.RegisterAsync(TestPeer.Create(), host.Token);

        using var response = await host.Client.AnnounceAsync(peer.PeerId, other.Token, TestManifests.Random(), host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
    }

    [Fact]
    public async Task Announce_MissingToken_Returns401()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        await host.Client.RegisterAsync(peer, host.Token);

        using var response = await host.Client.AnnounceAsync(peer.PeerId, null, TestManifests.Random(), host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, host.Token);
    }
}
