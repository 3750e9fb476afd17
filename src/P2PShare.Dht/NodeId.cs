using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using P2PShare.Core.Crypto;

namespace P2PShare.Dht;

/// <summary>
/// A 160-bit Kademlia identifier: a node's ID (its peer ID) or a key (the first 20 bytes of a file ID). Ordered and
/// compared big-endian, so XOR distances compare as numbers.
/// </summary>
public readonly record struct NodeId(UInt128 High, uint Low) : IComparable<NodeId>
{
    public const int Size = 20;
    public const int Bits = 160;

    public static NodeId Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[16..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt128BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], Low);
    }

    /// <summary>Parses 40 hex characters (a peer ID) or a longer hex string whose first 20 bytes are taken (a file ID).</summary>
    public static NodeId FromHex(string hex)
    {
        if (hex.Length < Size * 2)
        {
            throw new FormatException($"an ID needs at least {Size * 2} hex characters");
        }

        return Read(Convert.FromHexString(hex.AsSpan(0, Size * 2)));
    }

    /// <summary>The node ID of a peer: its peer ID, the first 20 bytes of SHA-256 of its static key.</summary>
    public static NodeId FromStaticKey(ReadOnlySpan<byte> staticKey) => FromHex(PeerIdentity.PeerIdFor(staticKey));

    public static NodeId Random()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    /// <summary>A random ID that shares exactly <paramref name="prefixLength"/> leading bits with this one.</summary>
    public NodeId RandomWithSharedPrefix(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(prefixLength, Bits);
        Span<byte> distance = stackalloc byte[Size];
        RandomNumberGenerator.Fill(distance);
        for (int bit = 0; bit < prefixLength; bit++)
        {
            distance[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        distance[prefixLength / 8] |= (byte)(0x80 >> (prefixLength % 8));
        return this ^ Read(distance);
    }

    public static NodeId operator ^(NodeId a, NodeId b) => new(a.High ^ b.High, a.Low ^ b.Low);

    /// <summary>Leading bits this ID shares with <paramref name="other"/>: 160 for the same ID.</summary>
    public int SharedPrefixLength(NodeId other)
    {
        var distance = this ^ other;
        return distance.High != 0
            ? (int)UInt128.LeadingZeroCount(distance.High)
            : 128 + BitOperations.LeadingZeroCount(distance.Low);
    }

    public int CompareTo(NodeId other)
    {
        int high = High.CompareTo(other.High);
        return high != 0 ? high : Low.CompareTo(other.Low);
    }

    /// <summary>Negative when <paramref name="a"/> is closer to this ID than <paramref name="b"/>.</summary>
    public int CompareDistance(NodeId a, NodeId b) => (a ^ this).CompareTo(b ^ this);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }

}
