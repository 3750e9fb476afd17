using System.Security.Cryptography;

namespace P2PShare.Core.Merkle;

/// <summary>The RFC 9162 §2.1 hash functions: domain-separated leaf and node hashes over SHA-256.</summary>
public static class MerkleHash
{
    public const int Size = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>SHA-256(0x00 ‖ data).</summary>
    public static void Leaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([LeafPrefix]);
        hash.AppendData(data);
        hash.GetHashAndReset(destination);
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + (2 * Size)];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>Leaf hash of a 32-byte chunk hash, without allocating.</summary>
    public static void LeafOfHash(ReadOnlySpan<byte> chunkHash, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + Size];
        input[0] = LeafPrefix;
        chunkHash.CopyTo(input[1..]);
        SHA256.HashData(input, destination);
    }
}
