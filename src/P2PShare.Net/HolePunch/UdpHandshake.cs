using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// HELLO / HELLO_ACK / PUNCH datagrams, each carrying a truncated HMAC-SHA256 under the token both sides got from
/// the hole-punch coordination. A datagram without a valid tag is dropped before any state is created.
/// </summary>
internal static class UdpHandshake
{
    // HELLO: type, 0 (8), client connection ID (8), key ID (8), nonce (8), tag (16), zero padding to 1200 bytes.
    public const int HelloSignedSize = 1 + 8 + 8 + 8 + 8;

    // HELLO_ACK: type, client connection ID (8), server connection ID (8), echoed nonce (8), tag (16).
    public const int HelloAckSignedSize = 1 + 8 + 8 + 8;

    // PUNCH: type, 0 (8), key ID (8), nonce (8), tag (16).
    public const int PunchSignedSize = 1 + 8 + 8 + 8;

    /// <summary>A short public name for a token, so the receiver finds the right key with one lookup.</summary>
    public static ulong KeyId(ReadOnlySpan<byte> token)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(token, "p2pshare/holepunch key id"u8, mac);
        return BinaryPrimitives.ReadUInt64BigEndian(mac);
    }

    public static int WriteHello(Span<byte> packet, ulong clientId, ulong keyId, ulong nonce, ReadOnlySpan<byte> token)
    {
        packet[..UdpPacket.MinDatagramSize].Clear();
        UdpPacket.WriteHeader(packet, UdpPacket.Hello, 0);
        BinaryPrimitives.WriteUInt64BigEndian(packet[9..], clientId);
        BinaryPrimitives.WriteUInt64BigEndian(packet[17..], keyId);
        BinaryPrimitives.WriteUInt64BigEndian(packet[25..], nonce);
        Sign(token, packet[..HelloSignedSize], packet.Slice(HelloSignedSize, UdpPacket.TagSize));
        return UdpPacket.MinDatagramSize;
    }

    public static bool TryReadHello(ReadOnlySpan<byte> packet, out ulong clientId, out ulong keyId, out ulong nonce)
    {
        clientId = keyId = nonce = 0;
        if (packet.Length < UdpPacket.MinDatagramSize)
        {
            return false; // unpadded HELLOs are refused, so a reply is never larger than the request
        }

        clientId = BinaryPrimitives.ReadUInt64BigEndian(packet[9..]);
        keyId = BinaryPrimitives.ReadUInt64BigEndian(packet[17..]);
        nonce = BinaryPrimitives.ReadUInt64BigEndian(packet[25..]);
        return true;
    }

    public static bool VerifyHello(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> token) =>
        Verify(token, packet[..HelloSignedSize], packet.Slice(HelloSignedSize, UdpPacket.TagSize));

    public static int WriteHelloAck(Span<byte> packet, ulong clientId, ulong serverId, ulong nonce, ReadOnlySpan<byte> token)
    {
        UdpPacket.WriteHeader(packet, UdpPacket.HelloAck, clientId);
        BinaryPrimitives.WriteUInt64BigEndian(packet[9..], serverId);
        BinaryPrimitives.WriteUInt64BigEndian(packet[17..], nonce);
        Sign(token, packet[..HelloAckSignedSize], packet.Slice(HelloAckSignedSize, UdpPacket.TagSize));
        return HelloAckSignedSize + UdpPacket.TagSize;
    }

    public static bool TryReadHelloAck(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> token, ulong expectedNonce, out ulong serverId)
    {
        serverId = 0;
        if (packet.Length < HelloAckSignedSize + UdpPacket.TagSize
            || BinaryPrimitives.ReadUInt64BigEndian(packet[17..]) != expectedNonce
            || !Verify(token, packet[..HelloAckSignedSize], packet.Slice(HelloAckSignedSize, UdpPacket.TagSize)))
        {
            return false;
        }

        serverId = BinaryPrimitives.ReadUInt64BigEndian(packet[9..]);
        return true;
    }

    public static int WritePunch(Span<byte> packet, ulong keyId, ulong nonce, ReadOnlySpan<byte> token)
    {
        UdpPacket.WriteHeader(packet, UdpPacket.Punch, 0);
        BinaryPrimitives.WriteUInt64BigEndian(packet[9..], keyId);
        BinaryPrimitives.WriteUInt64BigEndian(packet[17..], nonce);
        Sign(token, packet[..PunchSignedSize], packet.Slice(PunchSignedSize, UdpPacket.TagSize));
        return PunchSignedSize + UdpPacket.TagSize;
    }

    /// <summary>The server's connection ID for a client's HELLO: the same HELLO repeated gets the same ID back.</summary>
    public static ulong ServerIdFor(ReadOnlySpan<byte> secret, ulong clientId, ulong keyId, SocketAddress from)
    {
        Span<byte> input = stackalloc byte[16 + from.Size];
        BinaryPrimitives.WriteUInt64BigEndian(input, clientId);
        BinaryPrimitives.WriteUInt64BigEndian(input[8..], keyId);
        from.Buffer.Span[..from.Size].CopyTo(input[16..]);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, input, mac);
        return BinaryPrimitives.ReadUInt64BigEndian(mac) | 1; // never 0, which marks "no connection yet"
    }

    private static void Sign(ReadOnlySpan<byte> token, ReadOnlySpan<byte> signed, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(token, signed, mac);
        mac[..UdpPacket.TagSize].CopyTo(tag);
    }

    private static bool Verify(ReadOnlySpan<byte> token, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> tag)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(token, signed, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..UdpPacket.TagSize], tag);
    }
}
