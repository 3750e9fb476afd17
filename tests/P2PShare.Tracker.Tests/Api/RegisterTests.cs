using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class RegisterTests
{
    [Fact]
    public async Task Register_NewPeer_ReturnsTokenIntervalAndObservedAddress()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { HeartbeatInterval = TimeSpan.FromSeconds(45) });
        var peer = TestPeer.Create();

        var registration = await host.Client.RegisterAsync(peer, host.Token);

        Assert.Equal(peer.PeerId, registration.PeerId);
        Assert.Equal(45, registration.HeartbeatIntervalSeconds);
        Assert.Equal("127.0.0.1", registration.ObservedAddress);
        Assert.True(Convert.FromBase64String(Base64UrlToBase64(registration.Token)).Length == 32);
    }

    [Fact]
    public async Task Register_UppercaseHexAndLanAddresses_StoresNormalisedValues()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var request = peer.Registration(7000) with
        {
            PeerId = peer.PeerId.ToUpperInvariant(),
            PublicKey = peer.PublicKey.ToUpperInvariant(),
            UdpPort = 7001,
            DhtPort = 7002,
            LanAddresses = ["192.168.1.20", "FE80:0:0:0:0:0:0:1"],
            Name = "laptop",
            Version = "1.0",
        };

        using var response = await host.Client.PostRegistrationAsync(peer, request, host.Token);
        var list = await host.Client.GetFromJsonOrFailAsync("/api/peers", TrackerApiJsonContext.Default.PeerListResponse, host.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = Assert.Single(list.Peers);
        Assert.Equal(peer.PeerId, info.PeerId);
        Assert.Equal(peer.PublicKey, info.PublicKey);
        Assert.Equal("127.0.0.1", info.Address);
        Assert.Equal(7000, info.Port);
        Assert.Equal(7001, info.UdpPort);
        Assert.Equal(7002, info.DhtPort);
        Assert.Equal(["192.168.1.20", "fe80::1"], info.LanAddresses);
        Assert.Equal("laptop", info.Name);
        Assert.Equal("1.0", info.Version);
        Assert.Equal(TrackerHost.Start, info.RegisteredAt);
    }

    [Fact]
    public async Task Register_SameKeyAgain_ReplacesTokenAndAddresses()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var first = await host.Client.RegisterAsync(peer, host.Token, port: 7000);

        var second = await host.Client.RegisterAsync(peer, host.Token, port: 7100);
        using var oldToken = await host.Client.HeartbeatAsync(peer.PeerId, first.Token, host.Token);
        using var newToken = await host.Client.HeartbeatAsync(peer.PeerId, second.Token, host.Token);
        var list = await host.Client.GetFromJsonOrFailAsync("/api/peers", TrackerApiJsonContext.Default.PeerListResponse, host.Token);

        Assert.NotEqual(first.Token, second.Token);
        await oldToken.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
        Assert.Equal(HttpStatusCode.OK, newToken.StatusCode);
        Assert.Equal(7100, Assert.Single(list.Peers).Port);
    }

    [Fact]
    public async Task Register_KeyThatDoesNotHashToTheId_Returns400AndKeepsTheRegisteredPeer()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        var impostor = TestPeer.Create();

        // Over HTTP a different key under a taken ID is a key that does not hash to the ID: refused before the
        // registry sees it (the registry's own 409 path is covered in InMemoryPeerRegistryTests).
        using var mismatched = await host.Client.PostJsonAsync(
            "/api/peers/register", peer.Registration() with { PublicKey = impostor.PublicKey }, null, host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(peer.PeerId, registration.Token, host.Token);

        string detail = await mismatched.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token);
        Assert.Contains("SHA-256(public_key)", detail);
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
    }

    private static string Base64UrlToBase64(string value)
    {
        string padded = value.Replace('-', '+').Replace('_', '/');
        return padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
    }
}
