using System.Text.Json;
using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Tests.Crypto;

public sealed class AesGcmVectorTests
{
    [Fact]
    public void SealAndOpen_NistAndGcmSpecVectors_MatchAndRejectEveryInvalidTag()
    {
        var tests = CryptoVectors.Load("aes_gcm.json").GetProperty("tests").EnumerateArray().ToArray();
        var (valid, invalid) = Check(tests);
        Assert.Equal((54, 25), (valid, invalid));
    }

    [Fact]
    public void SealAndOpen_Wycheproof256BitKey96BitNonce_MatchAndRejectEveryInvalidCase()
    {
        var groups = CryptoVectors.Load("wycheproof_aes_gcm_test.json").GetProperty("testGroups").EnumerateArray()
            .Where(g => g.GetProperty("keySize").GetInt32() == 256 && g.GetProperty("ivSize").GetInt32() == 96 && g.GetProperty("tagSize").GetInt32() == 128)
            .ToArray();
        var (valid, invalid) = Check(groups.SelectMany(g => g.GetProperty("tests").EnumerateArray()));
        Assert.True(valid > 0 && invalid > 0, $"{valid} valid, {invalid} invalid");
    }

    private static (int Valid, int Invalid) Check(IEnumerable<JsonElement> tests)
    {
        int valid = 0, invalid = 0;
        foreach (var test in tests)
        {
            string id = test.GetProperty("tcId").ToString();
            using var key = AesGcmAead.CreateKey(test.Hex("key"));
            var sealedMessage = test.Hex("ct").Concat(test.Hex("tag")).ToArray();
            var plaintext = new byte[Math.Max(0, sealedMessage.Length - 16)];
            bool opened = AesGcmAead.TryOpen(key, test.Hex("iv"), test.Hex("aad"), sealedMessage, plaintext);
            if (test.Text("result") == "invalid")
            {
                Assert.False(opened, $"tcId {id}: an invalid tag must be rejected");
                Assert.All(plaintext, b => Assert.Equal(0, b));
                invalid++;
                continue;
            }

            Assert.True(opened, $"tcId {id}");
            Assert.Equal(test.Text("msg"), Convert.ToHexStringLower(plaintext));
            var output = new byte[sealedMessage.Length];
            AesGcmAead.Seal(key, test.Hex("iv"), test.Hex("aad"), test.Hex("msg"), output);
            Assert.Equal(Convert.ToHexStringLower(sealedMessage), Convert.ToHexStringLower(output));
            valid++;
        }

        return (valid, invalid);
    }
}
