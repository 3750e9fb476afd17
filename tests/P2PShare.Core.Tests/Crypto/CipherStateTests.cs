using System.Security.Cryptography;
using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Tests.Crypto;

public sealed class CipherStateTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void EncryptWithAd_NonceN_UsesFourZeroBytesThenBigEndianCounter()
    {
        using var cipher = new CipherState();
        cipher.InitializeKey(Key);
        cipher.SetNonce(0x0102030405060708);
        var plaintext = "hello"u8.ToArray();
        var ciphertext = new byte[plaintext.Length + 16];
        cipher.EncryptWithAd("ad"u8, plaintext, ciphertext);

        using var aes = new AesGcm(Key, 16);
        var expected = new byte[plaintext.Length];
        var tag = new byte[16];
        aes.Encrypt([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], plaintext, expected, tag, "ad"u8);
        Assert.Equal([.. expected, .. tag], ciphertext);
        Assert.Equal(0x0102030405060709UL, cipher.Nonce);
    }

    [Fact]
    public void TryDecryptWithAd_BadTag_FailsAndKeepsNonce()
    {
        using var sender = Keyed();
        using var receiver = Keyed();
        var ciphertext = new byte[20];
        sender.EncryptWithAd([], "data"u8, ciphertext);
        ciphertext[^1] ^= 0x80;
        Assert.False(receiver.TryDecryptWithAd([], ciphertext, new byte[4], out _));
        Assert.Equal(0UL, receiver.Nonce);
    }

    [Fact]
    public void TryDecryptWithAd_ReplayedMessage_Fails()
    {
        using var sender = Keyed();
        using var receiver = Keyed();
        var ciphertext = new byte[20];
        sender.EncryptWithAd([], "data"u8, ciphertext);
        Assert.True(receiver.TryDecryptWithAd([], ciphertext, new byte[4], out _));
        Assert.False(receiver.TryDecryptWithAd([], ciphertext, new byte[4], out _));
    }

    [Fact]
    public void EncryptWithAd_ReservedMaximumNonce_Refuses()
    {
        using var cipher = Keyed();
        cipher.SetNonce(ulong.MaxValue - 1);
        cipher.EncryptWithAd([], [], new byte[16]);
        Assert.Throws<CryptographicException>(() => cipher.EncryptWithAd([], [], new byte[16]));
        Assert.False(cipher.TryDecryptWithAd([], new byte[16], [], out _));
    }

    [Fact]
    public void EncryptWithAd_NoKey_ReturnsPlaintext()
    {
        using var cipher = new CipherState();
        var output = new byte[3];
        Assert.Equal(3, cipher.EncryptWithAd([], "abc"u8, output));
        Assert.Equal("abc"u8.ToArray(), output);
    }

    private static CipherState Keyed()
    {
        var cipher = new CipherState();
        cipher.InitializeKey(Key);
        return cipher;
    }
}
