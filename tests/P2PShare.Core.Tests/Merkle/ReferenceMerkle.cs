using System.Security.Cryptography;

namespace P2PShare.Core.Tests.Merkle;

/// <summary>The RFC 9162 §2.1.1 definition written out recursively, as an independent check of MerkleTree.</summary>
internal static class ReferenceMerkle
{
    public static byte[] Root(IReadOnlyList<byte[]> leafInputs)
    {
        if (leafInputs.Count == 0)
        {
            return SHA256.HashData([]);
        }

        if (leafInputs.Count == 1)
        {
            return SHA256.HashData([0x00, .. leafInputs[0]]);
        }

        int k = 1;
        while (k * 2 < leafInputs.Count)
        {
            k *= 2;
        }

        byte[] left = Root(leafInputs.Take(k).ToList());
        byte[] right = Root(leafInputs.Skip(k).ToList());
        return SHA256.HashData([0x01, .. left, .. right]);
    }
}
