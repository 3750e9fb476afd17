using System.Buffers.Binary;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// The datagram layout (docs/protocol.md, "Hole-punched stream"). Every datagram starts with a type byte and the
/// 8-byte connection ID chosen by its receiver, so one socket serves many streams and a datagram for no known
/// connection is dropped after one dictionary lookup.
/// </summary>
internal static class UdpPacket
{
    public const byte Hello = 1;
    public const byte HelloAck = 2;
    public const byte Data = 3;
    public const byte Punch = 4;

    public const int HeaderSize = 1 + 8;
    public const int DataHeaderSize = HeaderSize + 8;
    public const int TagSize = 16;

    /// <summary>The smallest datagram every path must carry (QUIC's figure); HELLO is padded to it.</summary>
    public const int MinDatagramSize = 1200;

    /// <summary>What a 1500-byte Ethernet MTU leaves for a UDP payload over IPv6 (and with margin over IPv4).</summary>
    public const int ProbeDatagramSize = 1452;

    public const int MaxDatagramSize = 1452;

    public static void WriteHeader(Span<byte> packet, byte type, ulong destinationId)
    {
        packet[0] = type;
        BinaryPrimitives.WriteUInt64BigEndian(packet[1..], destinationId);
    }

    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out byte type, out ulong destinationId)
    {
        if (packet.Length < HeaderSize)
        {
            type = 0;
            destinationId = 0;
            return false;
        }

        type = packet[0];
        destinationId = BinaryPrimitives.ReadUInt64BigEndian(packet[1..]);
        return true;
    }
}

/// <summary>Frame types inside a DATA packet.</summary>
internal static class UdpFrame
{
    public const byte Padding = 0x00;
    public const byte Ping = 0x01;
    public const byte Ack = 0x02;
    public const byte MaxData = 0x03;
    public const byte Stream = 0x04;
    public const byte Fin = 0x05;
    public const byte Close = 0x06;

    /// <summary>Type, offset (8), length (2).</summary>
    public const int StreamHeaderSize = 1 + 8 + 2;

    public const int MaxAckRanges = 32;
}
