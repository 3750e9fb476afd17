using System.Security.Cryptography;

namespace P2PShare.Core.Merkle;

/// <summary>Verification of RFC 9162 §2.1.3.2 inclusion proofs.</summary>
public static class InclusionProof
{
    /// <summary>
    /// True when <paramref name="proof"/> shows that the leaf with hash <paramref name="leafHash"/> sits at
    /// <paramref name="leafIndex"/> in the tree of <paramref name="treeSize"/> leaves whose root is <paramref name="root"/>.
    /// </summary>
    public static bool Verify(long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (leafIndex < 0 || leafIndex >= treeSize || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size)
        {
            return false;
        }

        long fn = leafIndex;
        long sn = treeSize - 1;
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        foreach (byte[] p in proof)
        {
            if (sn == 0 || p.Length != MerkleHash.Size)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.Node(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }
}
