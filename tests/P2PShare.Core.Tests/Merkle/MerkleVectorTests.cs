using P2PShare.Core.Merkle;
using P2PShare.Core.Tests.Vectors;

namespace P2PShare.Core.Tests.Merkle;

public sealed class MerkleVectorTests
{
    private static readonly System.Text.Json.JsonElement Vectors = VectorFile.Load("merkle_rfc6962.json");

    private static List<byte[]> LeafInputs(int count) =>
        Vectors.GetProperty("leaf_inputs").EnumerateArray().Take(count).Select(e => Convert.FromHexString(e.GetString()!)).ToList();

    [Fact]
    public void Root_EmptyTree_IsSha256OfNothing()
    {
        var tree = MerkleTree.FromLeafInputs([]);

        Assert.Equal(Vectors.GetProperty("empty_tree_root").GetString(), Convert.ToHexStringLower(tree.Root));
    }

    [Fact]
    public void Root_EveryTreeSizeOneToEight_MatchesRfc6962Roots()
    {
        foreach (var entry in Vectors.GetProperty("roots").EnumerateArray())
        {
            int size = entry.GetProperty("tree_size").GetInt32();
            var tree = MerkleTree.FromLeafInputs(LeafInputs(size));

            Assert.Equal(entry.GetProperty("root").GetString(), Convert.ToHexStringLower(tree.Root));
        }
    }

    [Fact]
    public void LeafHash_EveryLeaf_MatchesLevelZeroNodeHashes()
    {
        var tree = MerkleTree.FromLeafInputs(LeafInputs(8));
        var levelZero = Vectors.GetProperty("node_hashes_by_level").GetProperty("levels")[0];

        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(levelZero[i].GetString(), Convert.ToHexStringLower(tree.LeafHash(i)));
        }
    }

    [Fact]
    public void InclusionProof_PublishedAuditPaths_AreProducedAndVerify()
    {
        foreach (var test in Vectors.GetProperty("inclusion_proofs").GetProperty("tests").EnumerateArray())
        {
            int index = test.GetProperty("leaf_index").GetInt32();
            int size = test.GetProperty("tree_size").GetInt32();
            var expected = test.GetProperty("proof").EnumerateArray().Select(e => e.GetString()!).ToList();
            var tree = MerkleTree.FromLeafInputs(LeafInputs(size));

            var proof = tree.GetInclusionProof(index);

            Assert.Equal(expected, proof.Select(Convert.ToHexStringLower).ToList());
            Assert.Equal(test.GetProperty("root").GetString(), Convert.ToHexStringLower(tree.Root));
            Assert.True(InclusionProof.Verify(index, size, Convert.FromHexString(test.GetProperty("leaf_hash").GetString()!), proof, tree.Root));
        }
    }

    public static TheoryData<string> InclusionProbeNames() =>
        new(Vectors.GetProperty("probes").GetProperty("inclusion").EnumerateArray().Select(p => p.GetProperty("file").GetString()!));

    [Theory]
    [MemberData(nameof(InclusionProbeNames))]
    public void Verify_TransparencyDevProbe_AcceptsOnlyValidProofs(string file)
    {
        var probe = Vectors.GetProperty("probes").GetProperty("inclusion").EnumerateArray().Single(p => p.GetProperty("file").GetString() == file);
        byte[] FromBase64(System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.Null ? [] : Convert.FromBase64String(e.GetString()!);
        var proof = probe.GetProperty("proof").ValueKind == System.Text.Json.JsonValueKind.Null
            ? new List<byte[]>()
            : probe.GetProperty("proof").EnumerateArray().Select(FromBase64).ToList();

        bool verified = InclusionProof.Verify(
            unchecked((long)probe.GetProperty("leafIdx").GetUInt64()),
            unchecked((long)probe.GetProperty("treeSize").GetUInt64()),
            FromBase64(probe.GetProperty("leafHash")),
            proof,
            FromBase64(probe.GetProperty("root")));

        Assert.Equal(!probe.GetProperty("wantErr").GetBoolean(), verified);
    }
}
