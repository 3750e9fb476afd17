using System.Buffers.Binary;

namespace P2PShare.Dht.Messages;

/// <summary>Reads a datagram front to back; running past the end throws <see cref="MalformedMessageException"/>.</summary>
internal ref struct SpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly ReadOnlySpan<byte> Rest => _data[_position..];

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count > Remaining)
        {
            throw new MalformedMessageException("datagram ends early");
        }

        var bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    public byte Byte() => Bytes(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

    public NodeId Id() => NodeId.Read(Bytes(NodeId.Size));
}
