namespace P2PShare.Core.Crypto.Noise;

/// <summary>Sizes fixed by Noise_XX_25519_AESGCM_SHA256 (Noise revision 34).</summary>
internal static class NoiseConstants
{
    public const string ProtocolName = "Noise_XX_25519_AESGCM_SHA256";

    /// <summary>DHLEN for the 25519 functions.</summary>
    public const int DhLength = 32;

    /// <summary>HASHLEN for SHA-256.</summary>
    public const int HashLength = 32;

    public const int KeyLength = 32;

    /// <summary>The AES-GCM authentication tag appended to every ciphertext.</summary>
    public const int TagLength = 16;

    /// <summary>Every Noise message, handshake or transport, is at most this long (§3).</summary>
    public const int MaxMessageLength = 65535;
}
