using CsCheck;
using P2PShare.Core.Merkle;

namespace P2PShare.Core.Tests.Merkle;

public sealed class MerkleProofPropertyTests
{
    private static readonly Gen<(int Count, byte[] Hashes, int Seed)> Trees =
        Gen.Int[1, 150].SelectMany(n => Gen.Byte.Array[n * MerkleHash.Size].Select(Gen.Int, (hashes, seed) => (n, hashes, seed)));

    [Fact]
    public void Root_RandomTree_EqualsRecursiveRfcDefinition()
    {
        Trees.Sample(
            t =>
            {
                var leaves = t.Hashes.Chunk(MerkleHash.Size).ToList();
                Assert.Equal(ReferenceMerkle.Root(leaves), MerkleTree.FromLeafHashInputs(t.Hashes).Root.ToArray());
            },
            iter: 60);
    }

    [Fact]
    public void Proof_EveryLeafOfRandomTree_Verifies()
    {
        Trees.Sample(
            t =>
            {
                var tree = MerkleTree.FromLeafHashInputs(t.Hashes);
                for (int i = 0; i < t.Count; i++)
                {
                    Assert.True(InclusionProof.Verify(i, t.Count, tree.LeafHash(i), tree.GetInclusionProof(i), tree.Root));
                }
            },
            iter: 60);
    }

    [Fact]
    public void Proof_AnyFlippedBitOrWrongIndex_FailsToVerify()
    {
        Trees.Sample(
            t =>
            {
                var tree = MerkleTree.FromLeafHashInputs(t.Hashes);
                var random = new Random(t.Seed);
                for (int i = 0; i < t.Count; i++)
                {
                    var proof = tree.GetInclusionProof(i);
                    byte[] leaf = tree.LeafHash(i).ToArray();
                    byte[] root = tree.Root.ToArray();
                    int target = random.Next(proof.Length + 2);
                    byte[] victim = target == proof.Length ? leaf : target == proof.Length + 1 ? root : proof[target];
                    int bit = random.Next(MerkleHash.Size * 8);
                    victim[bit / 8] ^= (byte)(1 << (bit % 8));

                    Assert.False(InclusionProof.Verify(i, t.Count, leaf, proof, root));

                    victim[bit / 8] ^= (byte)(1 << (bit % 8));
                    int other = (i + 1 + random.Next(Math.Max(1, t.Count - 1))) % t.Count;
                    if (other != i)
                    {
                        Assert.False(InclusionProof.Verify(other, t.Count, leaf, proof, root));
                    }
                }
            },
            iter: 60);
    }
}
