using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PShare.Core.Crypto;

/// <summary>
/// The Noise <c>25519</c> DH functions (X25519, RFC 7748) on top of NSec. A DH whose result is all zeros (the
/// remote key is a low-order point) is reported as a failure, which Noise §12.1 allows and which aborts a handshake.
/// </summary>
internal static class X25519
{
    public const int KeySize = 32;

    private static KeyAgreementAlgorithm Algorithm => KeyAgreementAlgorithm.X25519;

    private static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    /// <summary>A fresh random key pair whose private half can be exported (for the identity file).</summary>
    public static Key GenerateKey() => Key.Create(Algorithm, Exportable);

    /// <summary>Imports a 32-byte private key (RFC 7748 clamping is applied by the DH function).</summary>
    public static Key ImportPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeySize)
        {
            throw new ArgumentException($"an X25519 private key is {KeySize} bytes", nameof(privateKey));
        }

        return Key.Import(Algorithm, privateKey, KeyBlobFormat.RawPrivateKey, Exportable);
    }

    public static byte[] ExportPrivateKey(Key key) => key.Export(KeyBlobFormat.RawPrivateKey);

    public static byte[] PublicKeyOf(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    /// <summary>
    /// Writes X25519(private, remotePublic) to <paramref name="output"/>; false when the remote key is not 32 bytes
    /// or the result would be all zeros.
    /// </summary>
    public static bool TryAgree(Key privateKey, ReadOnlySpan<byte> remotePublicKey, Span<byte> output)
    {
        if (remotePublicKey.Length != KeySize || output.Length < KeySize)
        {
            return false;
        }

        if (!PublicKey.TryImport(Algorithm, remotePublicKey, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }

        var creation = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var secret = Algorithm.Agree(privateKey, publicKey, creation);
        if (secret is null)
        {
            return false;
        }

        var raw = secret.Export(SharedSecretBlobFormat.RawSharedSecret);
        try
        {
            raw.CopyTo(output);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }
}
