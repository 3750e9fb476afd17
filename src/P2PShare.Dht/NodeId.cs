using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using P2PShare.Core.Crypto;

namespace P2PShare.Dht;

/// <summary>
/// A 160-bit Kademlia identifier: a node's ID (its peer ID) or a key (the first 20 bytes of a file ID). Ordered and
/// compared big-endian, so XOR distances compare as numbers. Held as two 64-bit words and a 32-bit one, not a
/// UInt128: ReadyToRun does not precompile methods that handle UInt128, and every method touching a NodeId would be
/// compiled at start-up in every node instead.
/// </summary>
public readonly record struct NodeId(ulong High, ulong Middle, uint Low) : IComparable<NodeId>
{
    public const int Size = 20;
    public const int Bits = 160;

    public static NodeId Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]), BinaryPrimitives.ReadUInt32BigEndian(source[16..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Middle);
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

    public static NodeId operator ^(NodeId a, NodeId b) => new(a.High ^ b.High, a.Middle ^ b.Middle, a.Low ^ b.Low);

    /// <summary>Leading bits this ID shares with <paramref name="other"/>: 160 for the same ID.</summary>
    public int SharedPrefixLength(NodeId other)
    {
        var distance = this ^ other;
        return distance.High != 0 ? BitOperations.LeadingZeroCount(distance.High)
            : distance.Middle != 0 ? 64 + BitOperations.LeadingZeroCount(distance.Middle)
            : 128 + BitOperations.LeadingZeroCount(distance.Low);
    }

    public int CompareTo(NodeId other)
    {
        int high = High.CompareTo(other.High);
        if (high != 0)
        {
            return high;
        }

        int middle = Middle.CompareTo(other.Middle);
        return middle != 0 ? middle : Low.CompareTo(other.Low);
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
