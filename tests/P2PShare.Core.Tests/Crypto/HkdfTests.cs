using System.Security.Cryptography;
using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

public sealed class HkdfTests
{
    [Fact]
    public void DeriveKey_Rfc5869Sha256Vectors_MatchOkm()
    {
        var tests = CryptoVectors.Load("hkdf_sha256.json").GetProperty("tests").EnumerateArray().ToArray();
        Assert.Equal(3, tests.Length);
        foreach (var test in tests)
        {
            var okm = new byte[test.GetProperty("L").GetInt32()];
            Hkdf.DeriveKey(test.Hex("ikm"), test.Hex("salt"), test.Hex("info"), okm);
            Assert.Equal(test.Text("okm"), Convert.ToHexStringLower(okm));
        }
    }

    [Fact]
    public void Noise_AnyInput_EqualsTheHmacChainOfNoiseSection4()
    {
        var chainingKey = RandomNumberGenerator.GetBytes(32);
        foreach (int length in new[] { 0, 1, 32, 100 }) // 0 is what Split() passes
        {
            var ikm = RandomNumberGenerator.GetBytes(length);
            var tempKey = HMACSHA256.HashData(chainingKey, ikm);
            var expected1 = HMACSHA256.HashData(tempKey, new byte[] { 0x01 });
            var expected2 = HMACSHA256.HashData(tempKey, expected1.Append((byte)0x02).ToArray());

            var output1 = new byte[32];
            var output2 = new byte[32];
            Hkdf.Noise(chainingKey, ikm, output1, output2);
            Assert.Equal(expected1, output1);
            Assert.Equal(expected2, output2);
        }
    }
}
