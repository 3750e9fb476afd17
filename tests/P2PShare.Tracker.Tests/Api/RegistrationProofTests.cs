using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

/// <summary>Registration must prove possession of the peer's static private key; a live record cannot be taken over.</summary>
public sealed class RegistrationProofTests
{
    [Fact]
    public async Task Register_LivePeersIdAndKeyWithoutProof_IsRefusedAndTheVictimKeepsItsRecord()
    {
        await using var host = await TrackerHost.StartAsync();
        var victim = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(victim, host.Token, port: 7000);

        // Everything an attacker can read from /api/peers, pointed at an address of its choosing.
        using var hijack = await host.Client.PostJsonAsync("/api/peers/register", victim.Registration(port: 9999), null, host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(victim.PeerId, registration.Token, host.Token);
        var listed = await host.Client.GetFromJsonOrFailAsync($"/api/peers/{victim.PeerId}", TrackerApiJsonContext.Default.PeerInfo, host.Token);

        string detail = await hijack.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token);
        Assert.Contains("proof", detail);
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(7000, listed.Port);
    }

    [Fact]
    public async Task Register_VictimsKeyProvedWithAnotherKey_Returns403()
    {
        await using var host = await TrackerHost.StartAsync();
        var victim = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(victim, host.Token, port: 7000);
        var attacker = TestPeer.Create();

        using var hijack = await host.Client.PostRegistrationAsync(attacker, victim.Registration(port: 9999), host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(victim.PeerId, registration.Token, host.Token);

        string detail = await hijack.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
        Assert.Contains("private key", detail);
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
    }

    [Theory]
    [InlineData("port")]
    [InlineData("dht_port")]
    public async Task Register_ProofOverOtherFields_Returns403(string changed)
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var challenge = await host.Client.ChallengeAsync(host.Token);
        var proved = peer.Prove(peer.Registration(port: 7000) with { DhtPort = 7000 }, challenge);

        // Someone on the path changes a port the proof covered.
        var altered = changed == "port" ? proved with { Port = 9999 } : proved with { DhtPort = 9999 };
        using var response = await host.Client.PostJsonAsync("/api/peers/register", altered, null, host.Token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, host.Token);
    }

    [Fact]
    public async Task Register_SameNonceTwice_SecondIsRefused()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var challenge = await host.Client.ChallengeAsync(host.Token);
        var proved = peer.Prove(peer.Registration(), challenge);

        using var first = await host.Client.PostJsonAsync("/api/peers/register", proved, null, host.Token);
        using var replay = await host.Client.PostJsonAsync("/api/peers/register", proved, null, host.Token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        string detail = await replay.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token);
        Assert.Contains("nonce", detail);
    }

    [Fact]
    public async Task Register_NonceOlderThanItsLifetime_IsRefused()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { ChallengeLifetime = TimeSpan.FromSeconds(30) });
        var peer = TestPeer.Create();
        var challenge = await host.Client.ChallengeAsync(host.Token);
        host.Time.Advance(TimeSpan.FromSeconds(31));

        using var response = await host.Client.PostJsonAsync("/api/peers/register", peer.Prove(peer.Registration(), challenge), null, host.Token);

        Assert.Equal(30, challenge.ExpiresInSeconds);
        string detail = await response.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token);
        Assert.Contains("expired", detail);
    }

    [Fact]
    public async Task Challenge_TableFull_DropsTheOldestNonceAndStaysBounded()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { MaxPendingChallenges = 3 });
        var peer = TestPeer.Create();
        var challenges = new List<RegisterChallengeResponse>();
        for (int i = 0; i < 4; i++)
        {
            challenges.Add(await host.Client.ChallengeAsync(host.Token));
        }

        using var oldest = await host.Client.PostJsonAsync("/api/peers/register", peer.Prove(peer.Registration(), challenges[0]), null, host.Token);
        using var newest = await host.Client.PostJsonAsync("/api/peers/register", peer.Prove(peer.Registration(), challenges[3]), null, host.Token);

        await oldest.AssertProblemAsync(HttpStatusCode.BadRequest, host.Token);
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
    }

    [Fact]
    public async Task TrackerKey_IsKeptAcrossRestartsInAnOwnerOnlyFile()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"p2pshare-key-test-{Guid.NewGuid():N}");
        string keyFile = Path.Combine(directory, "tracker.key");
        try
        {
            string firstKey, secondKey;
            await using (var first = await TrackerHost.StartAsync(o => o with { KeyFile = keyFile }))
            {
                firstKey = (await first.Client.ChallengeAsync(first.Token)).TrackerPublicKey;
            }

            await using (var second = await TrackerHost.StartAsync(o => o with { KeyFile = keyFile }))
            {
                secondKey = (await second.Client.ChallengeAsync(second.Token)).TrackerPublicKey;
            }

            Assert.Equal(64, firstKey.Length);
            Assert.Equal(firstKey, secondKey);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
