using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

public sealed class PeerIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2pshare-identity-").FullName;

    private string KeyPath => Path.Combine(_directory, ".p2pshare", "identity.key");

    [Fact]
    public void LoadOrCreate_NoFile_CreatesOwnerOnlyFileThatReloadsToTheSameIdentity()
    {
        string peerId;
        byte[] publicKey;
        using (var created = PeerIdentity.LoadOrCreate(KeyPath))
        {
            peerId = created.PeerId;
            publicKey = created.PublicKey.ToArray();
        }

        Assert.Equal(69, new FileInfo(KeyPath).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        }

        using var loaded = PeerIdentity.LoadOrCreate(KeyPath);
        Assert.Equal(peerId, loaded.PeerId);
        Assert.Equal(publicKey, loaded.PublicKey.ToArray());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(KeyPath)!));
    }

    [Fact]
    public void LoadOrCreate_DamagedFile_RefusesWithReasonAndKeepsTheFile()
    {
        using (PeerIdentity.LoadOrCreate(KeyPath))
        {
        }

        var contents = File.ReadAllBytes(KeyPath);
        contents[10] ^= 0x01;
        File.WriteAllBytes(KeyPath, contents);

        var error = Assert.Throws<InvalidDataException>(() => PeerIdentity.LoadOrCreate(KeyPath));
        Assert.Contains("does not match", error.Message);
        Assert.Contains(KeyPath, error.Message);
        Assert.Equal(contents, File.ReadAllBytes(KeyPath));
    }

    [Fact]
    public void LoadOrCreate_TruncatedFile_RefusesWithReason()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.WriteAllBytes(KeyPath, new byte[32]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var error = Assert.Throws<InvalidDataException>(() => PeerIdentity.LoadOrCreate(KeyPath));
        Assert.Contains("expected 69 bytes, found 32", error.Message);
    }

    [Fact]
    public void LoadOrCreate_FileReadableByOthers_Refused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        using (PeerIdentity.LoadOrCreate(KeyPath))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        var error = Assert.Throws<InvalidDataException>(() => PeerIdentity.LoadOrCreate(KeyPath));
        Assert.Contains("chmod 600", error.Message);
    }

    [Fact]
    public void PeerIdFor_Rfc7748AlicePublicKey_IsHexOfFirst20BytesOfSha256()
    {
        var alicePublic = Convert.FromHexString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        Assert.Equal("300c9c9603b92a4b39ed3958bf9240114804db4f", PeerIdentity.PeerIdFor(alicePublic));
    }

    [Fact]
    public void Generate_Twice_GivesDifferentIdentities()
    {
        using var first = PeerIdentity.Generate();
        using var second = PeerIdentity.Generate();
        Assert.NotEqual(first.PeerId, second.PeerId);
        Assert.Equal(40, first.PeerId.Length);
        Assert.Equal(PeerIdentity.PeerIdFor(first.PublicKey.Span), first.PeerId);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
