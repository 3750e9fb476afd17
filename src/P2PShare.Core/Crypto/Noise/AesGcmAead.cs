using System.Security.Cryptography;

namespace P2PShare.Core.Crypto.Noise;

/// <summary>
/// AES-256-GCM as Noise uses it: 96-bit nonce, 128-bit tag appended to the ciphertext. Wraps the BCL's
/// <see cref="AesGcm"/> so a bad tag is a false return rather than an exception.
/// </summary>
internal static class AesGcmAead
{
    public const int NonceLength = 12;

    public static AesGcm CreateKey(ReadOnlySpan<byte> key) => new(key, NoiseConstants.TagLength);

    /// <summary>Writes ciphertext ‖ tag (plaintext.Length + 16 bytes); the output may start at the plaintext.</summary>
    public static int Seal(AesGcm key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        key.Encrypt(nonce, plaintext, output[..plaintext.Length], output.Slice(plaintext.Length, NoiseConstants.TagLength), ad);
        return plaintext.Length + NoiseConstants.TagLength;
    }

    /// <summary>Verifies and decrypts ciphertext ‖ tag; false (output zeroed) when the tag does not verify.</summary>
    public static bool TryOpen(AesGcm key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> sealedMessage, Span<byte> plaintext)
    {
        if (sealedMessage.Length < NoiseConstants.TagLength)
        {
            return false;
        }

        int length = sealedMessage.Length - NoiseConstants.TagLength;
        try
        {
            key.Decrypt(nonce, sealedMessage[..length], sealedMessage[length..], plaintext[..length], ad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
