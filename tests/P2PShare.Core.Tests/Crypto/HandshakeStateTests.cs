using P2PShare.Core.Crypto;
using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Tests.Crypto;

public sealed class HandshakeStateTests
{
    private static readonly byte[] Prologue = "p2pshare/1"u8.ToArray();

    [Fact]
    public void ReadMessage_AnyFlippedByteInMessageTwo_Fails()
    {
        using var initiatorKey = X25519.GenerateKey();
        using var responderKey = X25519.GenerateKey();
        var message2 = RunUntilMessageTwo(initiatorKey, responderKey);
        for (int position = 0; position < message2.Length; position++)
        {
            using var initiator = new HandshakeState(true, Prologue, initiatorKey, FixedEphemeral);
            using var responder = new HandshakeState(false, Prologue, responderKey, FixedEphemeral2);
            var m1 = Write(initiator, []);
            Assert.True(responder.TryReadMessage(m1, new byte[100], out _, out _));
            var m2 = Write(responder, []);
            m2[position] ^= 0x01;
            Assert.False(initiator.TryReadMessage(m2, new byte[100], out _, out var error));
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void ReadMessage_DifferentPrologue_FailsAtMessageTwo()
    {
        using var initiatorKey = X25519.GenerateKey();
        using var responderKey = X25519.GenerateKey();
        using var initiator = new HandshakeState(true, Prologue, initiatorKey);
        using var responder = new HandshakeState(false, "p2pshare/2"u8, responderKey);
        Assert.True(responder.TryReadMessage(Write(initiator, []), new byte[100], out _, out _));
        Assert.False(initiator.TryReadMessage(Write(responder, []), new byte[100], out _, out var error));
        Assert.Contains("authentication", error);
    }

    [Fact]
    public void WriteMessage_RemoteEphemeralIsLowOrderPoint_FailsWithoutThrowing()
    {
        using var responderKey = X25519.GenerateKey();
        using var responder = new HandshakeState(false, Prologue, responderKey);
        var lowOrder = new byte[32]; // the point 0 has order 1: every DH with it is all zeros
        Assert.True(responder.TryReadMessage(lowOrder, new byte[100], out _, out _));
        Assert.False(responder.TryWriteMessage([], new byte[200], out _, out var error));
        Assert.Contains("all-zero", error);
    }

    [Fact]
    public void ReadMessage_TooShort_FailsWithReason()
    {
        using var responderKey = X25519.GenerateKey();
        using var responder = new HandshakeState(false, Prologue, responderKey);
        Assert.False(responder.TryReadMessage(new byte[31], new byte[100], out _, out var error));
        Assert.Contains("too short", error);
    }

    [Fact]
    public void WriteMessage_OutOfTurn_IsABug()
    {
        using var key = X25519.GenerateKey();
        using var responder = new HandshakeState(false, Prologue, key);
        Assert.Throws<InvalidOperationException>(() => responder.TryWriteMessage([], new byte[200], out _, out _));
    }

    private static readonly byte[] FixedEphemeral = Convert.FromHexString("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");
    private static readonly byte[] FixedEphemeral2 = Convert.FromHexString("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");

    private static byte[] RunUntilMessageTwo(NSec.Cryptography.Key initiatorKey, NSec.Cryptography.Key responderKey)
    {
        using var initiator = new HandshakeState(true, Prologue, initiatorKey, FixedEphemeral);
        using var responder = new HandshakeState(false, Prologue, responderKey, FixedEphemeral2);
        Assert.True(responder.TryReadMessage(Write(initiator, []), new byte[100], out _, out _));
        return Write(responder, []);
    }

    private static byte[] Write(HandshakeState state, byte[] payload)
    {
        var buffer = new byte[NoiseConstants.MaxMessageLength];
        Assert.True(state.TryWriteMessage(payload, buffer, out int written, out var error), error);
        return buffer[..written];
    }
}
