using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using P2PShare.Core.Crypto;

namespace P2PShare.Core.TrackerApi;

/// <summary>
/// Proof that a registration comes from the holder of the peer's static private key. Both sides compute
/// key = HKDF-SHA256(X25519(own private, other's public), info = <see cref="Label"/>) and
/// proof = HMAC-SHA256(key, label ‖ nonce ‖ peer_id ‖ public_key ‖ port ‖ udp_port ‖ lan_addresses ‖ name ‖ version ‖ dht_port),
/// each field length-prefixed, exactly as sent. Only the peer (with its private key) and the tracker (with its own)
/// can compute it; the single-use nonce stops a recorded registration from being replayed.
/// </summary>
public static class RegistrationProof
{
    public const string Label = "p2pshare tracker registration v1";
    public const int HexLength = 64;

    /// <summary>The proof for <paramref name="request"/> (its <see cref="RegisterRequest.Nonce"/> set), as 64 lowercase hex characters.</summary>
    public static string Compute(PeerIdentity peer, ReadOnlySpan<byte> trackerPublicKey, RegisterRequest request)
    {
        Span<byte> proof = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!TryCompute(peer, trackerPublicKey, request, proof))
        {
            throw new ArgumentException("the tracker's public key is not a usable X25519 key", nameof(trackerPublicKey));
        }

        return Convert.ToHexStringLower(proof);
    }

    /// <summary>
    /// True when <paramref name="request"/>'s proof was made with the private key of its public_key for the
    /// tracker key <paramref name="tracker"/>. Compared in constant time.
    /// </summary>
    public static bool Verify(PeerIdentity tracker, RegisterRequest request)
    {
        if (request.Proof is not { Length: HexLength } given || !PeerIds.IsValidPublicKey(request.PublicKey))
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(given, presented, out _, out int written) != System.Buffers.OperationStatus.Done || written != presented.Length)
        {
            return false;
        }

        Span<byte> peerKey = stackalloc byte[PeerIds.PublicKeyLength];
        Convert.FromHexString(request.PublicKey, peerKey, out _, out _);
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return TryCompute(tracker, peerKey, request, expected) && CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static bool TryCompute(PeerIdentity own, ReadOnlySpan<byte> otherPublicKey, RegisterRequest request, Span<byte> proof)
    {
        Span<byte> shared = stackalloc byte[X25519.KeySize];
        Span<byte> key = stackalloc byte[Hkdf.HashLength];
        try
        {
            if (!X25519.TryAgree(own.Key, otherPublicKey, shared))
            {
                return false;
            }

            Hkdf.DeriveKey(shared, [], Encoding.ASCII.GetBytes(Label), key);
            HMACSHA256.HashData(key, Message(request), proof);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] Message(RegisterRequest request)
    {
        using var message = new MemoryStream(256);
        Write(message, Label);
        Write(message, request.Nonce);
        Write(message, request.PeerId);
        Write(message, request.PublicKey);
        Write(message, request.Port.ToString(CultureInfo.InvariantCulture));
        Write(message, request.UdpPort.ToString(CultureInfo.InvariantCulture));
        var lan = request.LanAddresses ?? [];
        Write(message, lan.Count.ToString(CultureInfo.InvariantCulture));
        foreach (string address in lan)
        {
            Write(message, address);
        }

        Write(message, request.Name);
        Write(message, request.Version);
        Write(message, request.DhtPort.ToString(CultureInfo.InvariantCulture));
        return message.ToArray();
    }

    /// <summary>A 4-byte big-endian length (0xFFFFFFFF for null) and the UTF-8 bytes.</summary>
    private static void Write(MemoryStream message, string? field)
    {
        Span<byte> length = stackalloc byte[4];
        if (field is null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(length, uint.MaxValue);
            message.Write(length);
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(field);
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        message.Write(length);
        message.Write(bytes);
    }
}
