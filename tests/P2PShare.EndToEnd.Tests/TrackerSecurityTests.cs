using P2PShare.Core.Crypto;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>Keyed trackers, private networks and a pinned HTTPS tracker, with the real programs.</summary>
public sealed class TrackerSecurityTests(ITestOutputHelper output)
{
    private const string Key = "office-key";
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PrivateNetwork_UnregisteredOutsiderWhoKnowsTheId_GetsNoManifest()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync(new Dictionary<string, string> { ["API_KEYS"] = Key });
        var keyed = new Dictionary<string, string> { ["API_KEY"] = Key };
        var alice = await cluster.StartPeerAsync("alice", env: keyed);
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "plans.bin", 3 * 1024 * 1024, seed: 7);
        var shared = await cluster.RunPeerAsync("alice", Long, keyed, "share", source);
        Assert.True(shared.ExitCode == 0, shared.Output);
        string fileId = shared.Output.Split('\n').Single(l => l.Length == 64 && l.All(char.IsAsciiHexDigitLower));

        using var outsider = PeerIdentity.Generate();
        bool outsiderGotIt = await PeerProbe.GetsManifestAsync(outsider, alice.Port, fileId, cluster.Token);
        using var member = PeerIdentity.Generate();
        await PeerProbe.RegisterAsync(cluster.TrackerUrl, Key, member, cluster.Token);
        bool memberGotIt = await PeerProbe.GetsManifestAsync(member, alice.Port, fileId, cluster.Token);

        Assert.False(outsiderGotIt, "an unregistered peer got the manifest");
        Assert.True(memberGotIt, "a registered peer did not get the manifest");
    }

    [Fact]
    public async Task Share_KeyedTrackerWithoutAKey_StopsAtOnceNamingTheKeySettings()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync(new Dictionary<string, string> { ["API_KEYS"] = Key });
        string source = TestCluster.WriteRandomFile(cluster.DataDir("input"), "a.bin", 1024, seed: 1);

        var shared = await cluster.RunPeerAsync("alice", TimeSpan.FromSeconds(30), null, "share", source);
        var listed = await cluster.RunPeerAsync("alice", TimeSpan.FromSeconds(30), null, "list");

        Assert.NotEqual(0, shared.ExitCode);
        Assert.Contains("-api-key", shared.Output);
        Assert.Contains("API_KEY_FILE", shared.Output);
        Assert.NotEqual(0, listed.ExitCode);
        Assert.Contains("-api-key", listed.Output);
    }

    [Fact]
    public async Task ApiKeyFile_KeyReadFromAFile_ListsFiles()
    {
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync(new Dictionary<string, string> { ["API_KEYS"] = Key });
        string keyFile = Path.Combine(cluster.Root, "api.key");
        await File.WriteAllTextAsync(keyFile, Key + "\n", cluster.Token);

        var listed = await cluster.RunPeerAsync("bob", Long, null, "list", "-api-key-file", keyFile);

        Assert.True(listed.ExitCode == 0, listed.Output);
    }

    [Fact]
    public async Task HttpsTracker_PinnedPeerWorks_WrongPinAndNoPinAreRefusedClearly()
    {
        await using var cluster = new TestCluster(output);
        var certificate = TestCertificate.Create(cluster.Root);
        var other = TestCertificate.Create(cluster.Root, "other");
        await cluster.StartTrackerAsync(new Dictionary<string, string> { ["TLS_CERT"] = certificate.CertFile, ["TLS_KEY"] = certificate.KeyFile }, https: true);

        var pinned = await cluster.RunPeerAsync("bob", Long, new Dictionary<string, string> { ["TRACKER_PIN"] = certificate.Pin }, "list");
        var wrongPin = await cluster.RunPeerAsync("bob", Long, null, "list", "-tracker-pin", other.Pin);
        var noPin = await cluster.RunPeerAsync("bob", Long, null, "list");

        Assert.True(pinned.ExitCode == 0, pinned.Output);
        Assert.NotEqual(0, wrongPin.ExitCode);
        Assert.Contains("TRACKER_PIN", wrongPin.Output);
        Assert.Contains(certificate.Pin, wrongPin.Output);
        Assert.NotEqual(0, noPin.ExitCode);
        Assert.Contains("certificate", noPin.Output);
    }
}
