using System.Security.Cryptography;

namespace P2PShare.Core.Crypto;

/// <summary>HKDF with HMAC-SHA256 (RFC 5869) from the BCL, plus the two- and three-output form Noise §4.3 uses.</summary>
internal static class Hkdf
{
    public const int HashLength = 32;

    /// <summary>
    /// RFC 5869 Extract-then-Expand. Extract is HMAC(salt, ikm) computed directly, because the OpenSSL-backed
    /// <see cref="HKDF.Extract(HashAlgorithmName, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> rejects the
    /// zero-length input key material Noise's Split() uses; a zero-length salt is HashLength zero bytes either way.
    /// </summary>
    public static void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        Span<byte> prk = stackalloc byte[HashLength];
        HMACSHA256.HashData(salt, inputKeyMaterial, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, info);
        CryptographicOperations.ZeroMemory(prk);
    }

    /// <summary>
    /// Noise's HKDF(chaining_key, input_key_material, n): HMAC(ck, ikm) as the PRK, then output1 = HMAC(PRK, 0x01),
    /// output2 = HMAC(PRK, output1 ‖ 0x02), … which is RFC 5869 with salt = ck, empty info and L = n × HashLength.
    /// </summary>
    public static void Noise(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output1, Span<byte> output2)
    {
        Span<byte> both = stackalloc byte[2 * HashLength];
        DeriveKey(inputKeyMaterial, chainingKey, [], both);
        both[..HashLength].CopyTo(output1);
        both[HashLength..].CopyTo(output2);
        CryptographicOperations.ZeroMemory(both);
    }
}
