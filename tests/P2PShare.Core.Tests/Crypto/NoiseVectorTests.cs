using System.Text.Json;
using P2PShare.Core.Crypto;
using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Tests.Crypto;

public sealed class NoiseVectorTests
{
    private static readonly JsonElement[] Vectors = [.. CryptoVectors.Load("noise_xx_25519_aesgcm_sha256.json").GetProperty("vectors").EnumerateArray()];

    public static TheoryData<int> XxVectorIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Vectors.Length; i++)
        {
            if (Vectors[i].Text("protocol_name") == NoiseConstants.ProtocolName)
            {
                data.Add(i);
            }
        }

        return data;
    }

    [Fact]
    public void VectorFile_ContainsTwoXxVectors_BothChecked()
    {
        Assert.Equal(2, XxVectorIndexes().Count);
    }

    [Theory]
    [MemberData(nameof(XxVectorIndexes))]
    public void Handshake_PublishedXxVector_ReproducesMessagesHashAndTransport(int index)
    {
        var vector = Vectors[index];
        using var initiatorStatic = X25519.ImportPrivateKey(vector.Hex("init_static"));
        using var responderStatic = X25519.ImportPrivateKey(vector.Hex("resp_static"));
        using var initiator = new HandshakeState(true, vector.Hex("init_prologue"), initiatorStatic, vector.Hex("init_ephemeral"));
        using var responder = new HandshakeState(false, vector.Hex("resp_prologue"), responderStatic, vector.Hex("resp_ephemeral"));
        var messages = vector.GetProperty("messages").EnumerateArray().ToArray();

        for (int i = 0; i < 3; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);
            var payload = messages[i].Hex("payload");
            var message = new byte[NoiseConstants.MaxMessageLength];
            Assert.True(writer.TryWriteMessage(payload, message, out int written, out var writeError), writeError);
            Assert.Equal(messages[i].Text("ciphertext"), Convert.ToHexStringLower(message.AsSpan(0, written)));

            var received = new byte[NoiseConstants.MaxMessageLength];
            Assert.True(reader.TryReadMessage(message.AsSpan(0, written), received, out int length, out var readError), readError);
            Assert.Equal(payload, received.AsSpan(0, length).ToArray());
        }

        Assert.True(initiator.IsComplete && responder.IsComplete);
        Assert.Equal(initiator.HandshakeHash, responder.HandshakeHash);
        if (vector.TryGetProperty("handshake_hash", out var hash))
        {
            Assert.Equal(hash.GetString(), Convert.ToHexStringLower(initiator.HandshakeHash));
        }

        Assert.Equal(X25519.PublicKeyOf(initiatorStatic), responder.RemoteStaticKey!.Value.ToArray());
        Assert.Equal(X25519.PublicKeyOf(responderStatic), initiator.RemoteStaticKey!.Value.ToArray());

        var (initiatorSend, initiatorReceive) = initiator.Split();
        var (responderSend, responderReceive) = responder.Split();
        using (initiatorSend)
        using (initiatorReceive)
        using (responderSend)
        using (responderReceive)
        {
            for (int i = 3; i < messages.Length; i++)
            {
                var (send, receive) = i % 2 == 0 ? (initiatorSend, responderReceive) : (responderSend, initiatorReceive);
                var payload = messages[i].Hex("payload");
                var ciphertext = new byte[payload.Length + NoiseConstants.TagLength];
                send.EncryptWithAd([], payload, ciphertext);
                Assert.Equal(messages[i].Text("ciphertext"), Convert.ToHexStringLower(ciphertext));

                var plaintext = new byte[payload.Length];
                Assert.True(receive.TryDecryptWithAd([], ciphertext, plaintext, out _));
                Assert.Equal(payload, plaintext);
            }
        }
    }
}
