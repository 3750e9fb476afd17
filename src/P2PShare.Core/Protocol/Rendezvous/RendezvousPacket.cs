using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace P2PShare.Core.Protocol.Rendezvous;

/// <summary>
/// The tracker's UDP rendezvous datagrams (docs/protocol.md, "UDP rendezvous"). A peer sends a binding request
/// signed with its registration token; the tracker answers with the address and port it saw the request come
/// from, signed with the same token. Requests are padded to <see cref="RequestSize"/> and answers are smaller,
/// so the rendezvous can never amplify traffic toward a forged source.
/// </summary>
public static class RendezvousPacket
{
    public const int RequestSize = 64;
    public const int AnswerSize = 52;
    public const byte Version = 1;
    public const byte BindingRequest = 1;
    public const byte BindingAnswer = 2;
    public const int TagSize = 16;

    private const int SignedSize = 36;
    private static ReadOnlySpan<byte> Magic => "P2PR"u8;

    /// <summary>Request: magic, version, kind, mapping report, 0, peer ID (20), nonce (8), tag (16), zero padding.</summary>
    public static void WriteRequest(Span<byte> packet, ReadOnlySpan<byte> peerId, ulong nonce, NatMapping report, string token)
    {
        packet[..RequestSize].Clear();
        WriteHeader(packet, BindingRequest, (byte)report);
        peerId.CopyTo(packet[8..28]);
        BinaryPrimitives.WriteUInt64BigEndian(packet[28..], nonce);
        Sign(token, packet[..SignedSize], packet.Slice(SignedSize, TagSize));
    }

    /// <summary>Reads a request's unsigned fields; the caller looks up the peer's token and calls <see cref="VerifyRequest"/>.</summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> packet, out string peerId, out NatMapping report)
    {
        peerId = "";
        report = NatMapping.Unknown;
        if (packet.Length != RequestSize || !HasHeader(packet, BindingRequest) || packet[6] > (byte)NatMapping.EndpointDependent)
        {
            return false;
        }

        report = (NatMapping)packet[6];
        peerId = Convert.ToHexStringLower(packet[8..28]);
        return true;
    }

    public static bool VerifyRequest(ReadOnlySpan<byte> packet, string token) => Verify(token, packet[..SignedSize], packet.Slice(SignedSize, TagSize));

    /// <summary>Answer: magic, version, kind, port index, 0, observed IP (16, IPv4-mapped), observed port, alternate port, echoed nonce, tag.</summary>
    public static void WriteAnswer(Span<byte> packet, ReadOnlySpan<byte> request, IPEndPoint observed, byte portIndex, int alternatePort, string token)
    {
        packet[..AnswerSize].Clear();
        WriteHeader(packet, BindingAnswer, portIndex);
        var address = observed.Address.AddressFamily == AddressFamily.InterNetwork ? observed.Address.MapToIPv6() : observed.Address;
        address.TryWriteBytes(packet[8..24], out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet[24..], (ushort)observed.Port);
        BinaryPrimitives.WriteUInt16BigEndian(packet[26..], (ushort)alternatePort);
        request[28..36].CopyTo(packet[28..36]);
        Sign(token, packet[..SignedSize], packet.Slice(SignedSize, TagSize));
    }

    /// <summary>Reads an answer to the request with <paramref name="nonce"/>; false for anything else or a bad tag.</summary>
    public static bool TryReadAnswer(ReadOnlySpan<byte> packet, ulong nonce, string token, out IPEndPoint observed, out int alternatePort)
    {
        observed = new IPEndPoint(IPAddress.None, 0);
        alternatePort = 0;
        if (packet.Length != AnswerSize || !HasHeader(packet, BindingAnswer)
            || BinaryPrimitives.ReadUInt64BigEndian(packet[28..]) != nonce
            || !Verify(token, packet[..SignedSize], packet.Slice(SignedSize, TagSize)))
        {
            return false;
        }

        var address = new IPAddress(packet[8..24]);
        observed = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, BinaryPrimitives.ReadUInt16BigEndian(packet[24..]));
        alternatePort = BinaryPrimitives.ReadUInt16BigEndian(packet[26..]);
        return true;
    }

    private static void WriteHeader(Span<byte> packet, byte kind, byte extra)
    {
        Magic.CopyTo(packet);
        packet[4] = Version;
        packet[5] = kind;
        packet[6] = extra;
        packet[7] = 0;
    }

    private static bool HasHeader(ReadOnlySpan<byte> packet, byte kind) =>
        packet[..4].SequenceEqual(Magic) && packet[4] == Version && packet[5] == kind;

    private static void Sign(string token, ReadOnlySpan<byte> signed, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), signed, mac);
        mac[..TagSize].CopyTo(tag);
    }

    private static bool Verify(string token, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> tag)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), signed, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..TagSize], tag);
    }
}
