using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PShare.Core.Crypto.Noise;

/// <summary>
/// Noise §5.1 CipherState with the AESGCM functions of §12.4: key k and a 64-bit counter n; the 96-bit nonce is
/// four zero bytes followed by n big-endian. n = 2^64−1 is reserved, so the last usable nonce is 2^64−2.
/// </summary>
internal sealed class CipherState : IDisposable
{
    private AesGcm? _aes;

    public ulong Nonce { get; private set; }

    public bool HasKey => _aes is not null;

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        _aes?.Dispose();
        _aes = AesGcmAead.CreateKey(key);
        Nonce = 0;
    }

    /// <summary>Only for tests of nonce exhaustion (Noise §5.1 SetNonce).</summary>
    internal void SetNonce(ulong nonce) => Nonce = nonce;

    /// <summary>
    /// Writes ENCRYPT(k, n++, ad, plaintext) — plaintext.Length + 16 bytes — to <paramref name="ciphertext"/>, or a copy
    /// of the plaintext when there is no key. <paramref name="ciphertext"/> may start at the same address as the
    /// plaintext (in place).
    /// </summary>
    public int EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        if (_aes is null)
        {
            plaintext.CopyTo(ciphertext);
            return plaintext.Length;
        }

        if (Nonce == ulong.MaxValue)
        {
            throw new CryptographicException("Noise nonce space exhausted; the session must end");
        }

        Span<byte> nonce = stackalloc byte[AesGcmAead.NonceLength];
        WriteNonce(nonce, Nonce);
        int written = AesGcmAead.Seal(_aes, nonce, ad, plaintext, ciphertext);
        Nonce++;
        return written;
    }

    /// <summary>
    /// DECRYPT(k, n++, ad, ciphertext) into <paramref name="plaintext"/> (ciphertext.Length − 16 bytes; may be in place).
    /// Returns false, leaving n unchanged and the plaintext zeroed, when authentication fails, the input is shorter
    /// than a tag or the nonce space is exhausted.
    /// </summary>
    public bool TryDecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int written)
    {
        written = 0;
        if (_aes is null)
        {
            ciphertext.CopyTo(plaintext);
            written = ciphertext.Length;
            return true;
        }

        if (ciphertext.Length < NoiseConstants.TagLength || Nonce == ulong.MaxValue)
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[AesGcmAead.NonceLength];
        WriteNonce(nonce, Nonce);
        if (!AesGcmAead.TryOpen(_aes, nonce, ad, ciphertext, plaintext))
        {
            return false;
        }

        Nonce++;
        written = ciphertext.Length - NoiseConstants.TagLength;
        return true;
    }

    public void Dispose()
    {
        _aes?.Dispose();
        _aes = null;
    }

    internal static void WriteNonce(Span<byte> nonce, ulong counter)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }
}
