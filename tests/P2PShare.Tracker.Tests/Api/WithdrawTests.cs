using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class WithdrawTests
{
    [Fact]
    public async Task Withdraw_OneOfTwoHolders_Returns204AndKeepsTheFile()
    {
        await using var host = await TrackerHost.StartAsync();
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token);
        var other = TestPeer.Create();
        var otherRegistration = await host.Client.RegisterAsync(other, host.Token);
        using var shared = await host.Client.AnnounceAsync(other.PeerId, otherRegistration.Token, manifest, host.Token);

        using var response = await host.Client.WithdrawAsync(peer.PeerId, registration.Token, manifest.Hash, host.Token);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(other.PeerId, Assert.Single(holders.Peers).PeerId);
    }

    [Fact]
    public async Task Withdraw_LastHolder_RemovesTheFileAndEmitsFileRemoved()
    {
        await using var host = await TrackerHost.StartAsync();
        var (peer, registration, manifest) = await host.Client.SeedAsync(host.Token, name: "gone.txt");
        var (feed, _) = await EventFeed.ConnectAsync(host, host.Token);
        await using var _ = feed;

        using var response = await host.Client.WithdrawAsync(peer.PeerId, registration.Token, manifest.Hash, host.Token);
        var removed = await feed.NextOfTypeAsync(TrackerEventTypes.FileRemoved, TrackerApiJsonContext.Default.FileRemovedEvent, host.Token);
        using var file = await host.Client.GetAsync($"/api/files/{manifest.Hash}", host.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(new FileRemovedEvent { Hash = manifest.Hash, Name = "gone.txt" }, removed);
        await file.AssertProblemAsync(HttpStatusCode.NotFound, host.Token);
    }

    [Fact]
    public async Task Withdraw_FileNotHeld_Returns204()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);

        using var response = await host.Client.WithdrawAsync(peer.PeerId, registration.Token, TestManifests.Random().Hash, host.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Withdraw_AnotherPeersToken_Returns403AndKeepsTheHolding()
    {
        await using var host = await TrackerHost.StartAsync();
        var (peer, _, manifest) = await host.Client.SeedAsync(host.Token);
        var other = await host.Client.RegisterAsync(TestPeer.Create(), host.Token);

        using var response = await host.Client.WithdrawAsync(peer.PeerId, other.Token, manifest.Hash, host.Token);
        var holders = await host.Client.GetFromJsonOrFailAsync($"/api/files/{manifest.Hash}/peers", TrackerApiJsonContext.Default.FilePeersResponse, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
        Assert.Single(holders.Peers);
    }
}
