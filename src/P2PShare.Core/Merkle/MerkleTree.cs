using System.Security.Cryptography;

namespace P2PShare.Core.Merkle;

/// <summary>
/// An RFC 9162 Merkle tree kept level by level. Pairing nodes bottom-up and carrying an unpaired last node
/// up unchanged yields exactly the RFC's left-balanced tree (the left subtree holds the largest power of two
/// below n leaves), so audit paths read straight off the levels.
/// </summary>
public sealed class MerkleTree
{
    private readonly byte[][] _levels;

    private MerkleTree(byte[][] levels, int leafCount)
    {
        _levels = levels;
        LeafCount = leafCount;
    }

    public int LeafCount { get; }

    /// <summary>The Merkle Tree Hash; SHA-256 of nothing for an empty tree.</summary>
    public ReadOnlySpan<byte> Root => LeafCount == 0 ? EmptyRoot : _levels[^1];

    private static byte[] EmptyRoot { get; } = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>Builds the tree whose leaf inputs are the given 32-byte hashes (flat, back to back).</summary>
    public static MerkleTree FromLeafHashInputs(ReadOnlySpan<byte> hashes)
    {
        if (hashes.Length % MerkleHash.Size != 0)
        {
            throw new ArgumentException("leaf inputs must be whole 32-byte hashes", nameof(hashes));
        }

        int count = hashes.Length / MerkleHash.Size;
        var leaves = new byte[hashes.Length];
        for (int i = 0; i < count; i++)
        {
            MerkleHash.LeafOfHash(hashes.Slice(i * MerkleHash.Size, MerkleHash.Size), leaves.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
        }

        return FromLeafHashes(leaves, count);
    }

    /// <summary>Builds the tree over arbitrary leaf inputs (used for the RFC test vectors).</summary>
    public static MerkleTree FromLeafInputs(IReadOnlyList<byte[]> inputs)
    {
        var leaves = new byte[inputs.Count * MerkleHash.Size];
        for (int i = 0; i < inputs.Count; i++)
        {
            MerkleHash.Leaf(inputs[i], leaves.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
        }

        return FromLeafHashes(leaves, inputs.Count);
    }

    /// <summary>The RFC 9162 §2.1.3.1 audit path for leaf <paramref name="index"/>, ordered from the leaf upwards.</summary>
    public byte[][] GetInclusionProof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);
        var proof = new List<byte[]>();
        for (int level = 0; level < _levels.Length - 1; level++)
        {
            int sibling = index ^ 1;
            int width = _levels[level].Length / MerkleHash.Size;
            if (sibling < width)
            {
                proof.Add(_levels[level].AsSpan(sibling * MerkleHash.Size, MerkleHash.Size).ToArray());
            }

            index >>= 1;
        }

        return [.. proof];
    }

    public ReadOnlySpan<byte> LeafHash(int index) => _levels[0].AsSpan(index * MerkleHash.Size, MerkleHash.Size);

    private static MerkleTree FromLeafHashes(byte[] leaves, int count)
    {
        var levels = new List<byte[]> { leaves };
        var current = leaves;
        while (current.Length > MerkleHash.Size)
        {
            int width = current.Length / MerkleHash.Size;
            var parent = new byte[((width + 1) / 2) * MerkleHash.Size];
            for (int i = 0; i + 1 < width; i += 2)
            {
                MerkleHash.Node(
                    current.AsSpan(i * MerkleHash.Size, MerkleHash.Size),
                    current.AsSpan((i + 1) * MerkleHash.Size, MerkleHash.Size),
                    parent.AsSpan((i / 2) * MerkleHash.Size, MerkleHash.Size));
            }

            if (width % 2 == 1)
            {
                current.AsSpan((width - 1) * MerkleHash.Size, MerkleHash.Size).CopyTo(parent.AsSpan(parent.Length - MerkleHash.Size));
            }

            levels.Add(parent);
            current = parent;
        }

        return new MerkleTree([.. levels], count);
    }
}
