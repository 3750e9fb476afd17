using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PShare.Core.Crypto;

/// <summary>
/// A peer's long-term X25519 key pair (DESIGN §4). The peer ID is the lowercase hex of the first 20 bytes of
/// SHA-256(public key); the private key never leaves this object except into the identity file.
/// </summary>
public sealed class PeerIdentity : IDisposable
{
    /// <summary>Bytes of a peer ID (40 hex characters).</summary>
    public const int PeerIdLength = 20;

    private readonly byte[] _publicKey;

    private PeerIdentity(Key key)
    {
        Key = key;
        _publicKey = X25519.PublicKeyOf(key);
        PeerId = PeerIdFor(_publicKey);
    }

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public string PeerId { get; }

    internal Key Key { get; }

    /// <summary>A new random identity kept only in memory.</summary>
    public static PeerIdentity Generate() => new(X25519.GenerateKey());

    /// <summary>
    /// Loads the identity from <paramref name="keyFilePath"/>, creating the file (and its directory) with mode 0600
    /// on first start. A damaged file or one readable by other users is refused with an
    /// <see cref="InvalidDataException"/> naming the problem; it is never silently replaced.
    /// </summary>
    public static PeerIdentity LoadOrCreate(string keyFilePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyFilePath);
        if (!File.Exists(keyFilePath))
        {
            using var key = X25519.GenerateKey();
            var privateKey = X25519.ExportPrivateKey(key);
            var contents = IdentityKeyFile.Encode(privateKey, X25519.PublicKeyOf(key));
            CryptographicOperations.ZeroMemory(privateKey);
            IdentityKeyFile.TryCreate(keyFilePath, contents);
            CryptographicOperations.ZeroMemory(contents);
        }

        return Load(keyFilePath);
    }

    /// <summary>Peer ID of any X25519 public key: hex of the first 20 bytes of its SHA-256, lowercase.</summary>
    public static string PeerIdFor(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != X25519.KeySize)
        {
            throw new ArgumentException($"an X25519 public key is {X25519.KeySize} bytes", nameof(publicKey));
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(publicKey, hash);
        return Convert.ToHexStringLower(hash[..PeerIdLength]);
    }

    public void Dispose() => Key.Dispose();

    private static PeerIdentity Load(string path)
    {
        if (IdentityKeyFile.CheckPermissions(path) is { } permissionError)
        {
            throw new InvalidDataException(permissionError);
        }

        var contents = File.ReadAllBytes(path);
        var privateKey = IdentityKeyFile.Decode(contents, out var error)
            ?? throw new InvalidDataException($"identity key file '{path}' is unusable: {error}. Move it away to create a new identity (the peer ID will change).");
        CryptographicOperations.ZeroMemory(contents);
        try
        {
            return new PeerIdentity(X25519.ImportPrivateKey(privateKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }
}
