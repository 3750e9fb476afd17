using System.Security.Cryptography;
using P2PShare.Core.Hashing;

namespace P2PShare.Core.TrackerApi;

/// <summary>Peer ID = the first 20 bytes of SHA-256(static X25519 public key), as 40 lowercase hex characters.</summary>
public static class PeerIds
{
    public const int ByteLength = 20;
    public const int HexLength = ByteLength * 2;
    public const int PublicKeyLength = 32;

    public static string FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException($"a public key is {PublicKeyLength} bytes, got {publicKey.Length}", nameof(publicKey));
        }

        Span<byte> digest = stackalloc byte[Sha256Hash.Size];
        SHA256.HashData(publicKey, digest);
        return Convert.ToHexStringLower(digest[..ByteLength]);
    }

    /// <summary>True when <paramref name="peerId"/> is 40 hex characters (either case).</summary>
    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? peerId) => IsHex(peerId, HexLength);

    /// <summary>True when <paramref name="publicKey"/> is 64 hex characters (either case).</summary>
    public static bool IsValidPublicKey(string? publicKey) => IsHex(publicKey, PublicKeyLength * 2);

    /// <summary>True when <paramref name="peerId"/> is the ID of <paramref name="publicKeyHex"/>; both are hex in either case.</summary>
    public static bool Matches(string peerId, string publicKeyHex)
    {
        if (!IsValid(peerId) || !IsValidPublicKey(publicKeyHex))
        {
            return false;
        }

        Span<byte> key = stackalloc byte[PublicKeyLength];
        Convert.FromHexString(publicKeyHex, key, out _, out _);
        return string.Equals(FromPublicKey(key), peerId, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsHex(string? value, int length) => value is not null && value.Length == length && IsAllHex(value);

    private static bool IsAllHex(string value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
