using System.Text.Json;
using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

public sealed class X25519VectorTests
{
    private static readonly JsonElement Rfc7748 = CryptoVectors.Load("x25519.json");

    [Fact]
    public void TryAgree_Rfc7748ScalarMultiplication_MatchesOutput()
    {
        var vectors = Rfc7748.GetProperty("scalar_mult").EnumerateArray().ToArray();
        Assert.Equal(2, vectors.Length);
        foreach (var vector in vectors)
        {
            Assert.Equal(vector.Text("output"), Agree(vector.Hex("scalar"), vector.Hex("u")));
        }
    }

    /// <summary>The 1,000,000-iteration checkpoint is left out: a million NSec key imports take minutes.</summary>
    [Fact]
    public void TryAgree_Rfc7748IteratedToOneThousand_MatchesCheckpoints()
    {
        var iterated = Rfc7748.GetProperty("iterated");
        var k = iterated.Hex("initial_k");
        var u = iterated.Hex("initial_u");
        var checkpoints = iterated.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("iterations").GetInt32() <= 1000)
            .ToDictionary(r => r.GetProperty("iterations").GetInt32(), r => r.Text("k"));
        Assert.Equal(2, checkpoints.Count);
        for (int i = 1; i <= 1000; i++)
        {
            var r = Convert.FromHexString(Agree(k, u));
            u = k;
            k = r;
            if (checkpoints.TryGetValue(i, out var expected))
            {
                Assert.Equal(expected, Convert.ToHexStringLower(k));
            }
        }
    }

    [Fact]
    public void TryAgree_Rfc7748DiffieHellman_BothSidesDeriveTheSharedSecret()
    {
        var dh = Rfc7748.GetProperty("diffie_hellman");
        using var alice = X25519.ImportPrivateKey(dh.Hex("alice_private"));
        using var bob = X25519.ImportPrivateKey(dh.Hex("bob_private"));
        Assert.Equal(dh.Text("alice_public"), Convert.ToHexStringLower(X25519.PublicKeyOf(alice)));
        Assert.Equal(dh.Text("bob_public"), Convert.ToHexStringLower(X25519.PublicKeyOf(bob)));
        Assert.Equal(dh.Text("shared_secret"), Agree(dh.Hex("alice_private"), dh.Hex("bob_public")));
        Assert.Equal(dh.Text("shared_secret"), Agree(dh.Hex("bob_private"), dh.Hex("alice_public")));
    }

    [Fact]
    public void TryAgree_Wycheproof_MatchesSharedSecretOrRejectsAllZeroResult()
    {
        var tests = CryptoVectors.Load("wycheproof_x25519_test.json").GetProperty("testGroups").EnumerateArray()
            .SelectMany(g => g.GetProperty("tests").EnumerateArray()).ToArray();
        Assert.Equal(518, tests.Length);
        int rejected = 0;
        foreach (var test in tests)
        {
            var expected = test.Hex("shared");
            using var key = X25519.ImportPrivateKey(test.Hex("private"));
            var output = new byte[32];
            bool agreed = X25519.TryAgree(key, test.Hex("public"), output);
            if (expected.All(b => b == 0))
            {
                Assert.False(agreed, $"tcId {test.GetProperty("tcId")}: an all-zero DH result must be an error");
                rejected++;
            }
            else
            {
                Assert.True(agreed, $"tcId {test.GetProperty("tcId")}");
                Assert.Equal(test.Text("shared"), Convert.ToHexStringLower(output));
            }
        }

        Assert.Equal(31, rejected);
    }

    [Fact]
    public void TryAgree_WrongLengthKey_Fails()
    {
        using var key = X25519.GenerateKey();
        Assert.False(X25519.TryAgree(key, new byte[31], new byte[32]));
    }

    private static string Agree(byte[] scalar, byte[] u)
    {
        using var key = X25519.ImportPrivateKey(scalar);
        var output = new byte[32];
        Assert.True(X25519.TryAgree(key, u, output));
        return Convert.ToHexStringLower(output);
    }
}
