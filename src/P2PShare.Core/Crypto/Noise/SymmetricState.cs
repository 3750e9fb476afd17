using System.Security.Cryptography;
using System.Text;

namespace P2PShare.Core.Crypto.Noise;

/// <summary>Noise §5.2 SymmetricState: the chaining key ck, the handshake hash h and the handshake CipherState.</summary>
internal sealed class SymmetricState : IDisposable
{
    private readonly byte[] _chainingKey = new byte[NoiseConstants.HashLength];
    private readonly byte[] _hash = new byte[NoiseConstants.HashLength];
    private readonly CipherState _cipher = new();

    public SymmetricState(string protocolName)
    {
        var name = Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= NoiseConstants.HashLength)
        {
            name.CopyTo(_hash, 0);
        }
        else
        {
            SHA256.HashData(name, _hash);
        }

        _hash.CopyTo(_chainingKey, 0);
    }

    public bool HasKey => _cipher.HasKey;

    public ReadOnlySpan<byte> HandshakeHash => _hash;

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> tempKey = stackalloc byte[NoiseConstants.HashLength];
        Hkdf.Noise(_chainingKey, inputKeyMaterial, _chainingKey, tempKey);
        _cipher.InitializeKey(tempKey);
        CryptographicOperations.ZeroMemory(tempKey);
    }

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_hash);
        hash.AppendData(data);
        hash.GetHashAndReset(_hash);
    }

    /// <summary>Encrypts with h as associated data, mixes the ciphertext into h; returns the bytes written.</summary>
    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        int written = _cipher.EncryptWithAd(_hash, plaintext, ciphertext);
        MixHash(ciphertext[..written]);
        return written;
    }

    /// <summary>Decrypts with h as associated data, mixes the ciphertext into h; false when authentication fails.</summary>
    public bool TryDecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int written)
    {
        if (!_cipher.TryDecryptWithAd(_hash, ciphertext, plaintext, out written))
        {
            return false;
        }

        MixHash(ciphertext);
        return true;
    }

    /// <summary>Two CipherStates: the first encrypts initiator → responder, the second responder → initiator.</summary>
    public (CipherState InitiatorToResponder, CipherState ResponderToInitiator) Split()
    {
        Span<byte> key1 = stackalloc byte[NoiseConstants.HashLength];
        Span<byte> key2 = stackalloc byte[NoiseConstants.HashLength];
        Hkdf.Noise(_chainingKey, [], key1, key2);
        var c1 = new CipherState();
        var c2 = new CipherState();
        c1.InitializeKey(key1);
        c2.InitializeKey(key2);
        CryptographicOperations.ZeroMemory(key1);
        CryptographicOperations.ZeroMemory(key2);
        return (c1, c2);
    }

    public void Dispose()
    {
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_chainingKey);
    }
}
