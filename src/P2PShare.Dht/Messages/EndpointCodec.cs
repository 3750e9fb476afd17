using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace P2PShare.Dht.Messages;

/// <summary>An address on the wire: family (4 or 6), the address bytes, the port big-endian.</summary>
internal static class EndpointCodec
{
    public static int SizeOf(IPEndPoint endPoint) => endPoint.AddressFamily == AddressFamily.InterNetwork ? 7 : 19;

    public static int Write(Span<byte> destination, IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        destination[0] = v4 ? (byte)4 : (byte)6;
        int length = v4 ? 4 : 16;
        address.TryWriteBytes(destination.Slice(1, length), out _);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(1 + length)..], (ushort)endPoint.Port);
        return 3 + length;
    }

    /// <summary>Reads one address; null (and the caller drops the datagram) for an unknown family, port 0 or an address nobody can be reached at.</summary>
    public static IPEndPoint? Read(ref SpanReader reader)
    {
        int length = reader.Byte() switch { 4 => 4, 6 => 16, _ => -1 };
        if (length < 0)
        {
            return null;
        }

        var address = new IPAddress(reader.Bytes(length));
        ushort port = reader.UInt16();
        return port == 0 || !Usable(address) ? null : new IPEndPoint(address, port);
    }

    public static bool Usable(IPAddress address) =>
        !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.Broadcast)
        && !address.IsIPv6Multicast && !(address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] >= 224);
}
