using System.Net;
using System.Security.Cryptography;
using P2PShare.Core.Protocol.Rendezvous;

namespace P2PShare.Core.Tests.Protocol;

public sealed class RendezvousPacketTests
{
    private const string Token = "registration-token";

    [Fact]
    public void Request_And_Answer_RoundTrip_AndTheAnswerIsSmaller()
    {
        byte[] peerId = RandomNumberGenerator.GetBytes(20);
        var request = new byte[RendezvousPacket.RequestSize];
        RendezvousPacket.WriteRequest(request, peerId, 42, NatMapping.EndpointDependent, Token);

        Assert.True(RendezvousPacket.TryReadRequest(request, out string id, out var report));
        Assert.Equal(Convert.ToHexStringLower(peerId), id);
        Assert.Equal(NatMapping.EndpointDependent, report);
        Assert.True(RendezvousPacket.VerifyRequest(request, Token));
        Assert.False(RendezvousPacket.VerifyRequest(request, "another token"));

        var answer = new byte[RendezvousPacket.AnswerSize];
        var observed = new IPEndPoint(IPAddress.Parse("198.18.1.2"), 40112);
        RendezvousPacket.WriteAnswer(answer, request, observed, 1, 8081, Token);
        Assert.True(RendezvousPacket.TryReadAnswer(answer, 42, Token, out var read, out int alternate));
        Assert.Equal(observed, read);
        Assert.Equal(8081, alternate);
        Assert.True(answer.Length < request.Length);
    }

    [Fact]
    public void EveryFlippedByteOfTheSignedPart_OrAWrongNonce_OrAWrongLength_IsRefused()
    {
        var request = new byte[RendezvousPacket.RequestSize];
        RendezvousPacket.WriteRequest(request, new byte[20], 7, NatMapping.Unknown, Token);
        var answer = new byte[RendezvousPacket.AnswerSize];
        RendezvousPacket.WriteAnswer(answer, request, new IPEndPoint(IPAddress.Loopback, 1), 0, 2, Token);

        for (int i = 0; i < RendezvousPacket.AnswerSize; i++)
        {
            byte[] tampered = (byte[])answer.Clone();
            tampered[i] ^= 0x01;
            Assert.False(RendezvousPacket.TryReadAnswer(tampered, 7, Token, out _, out _), $"answer byte {i}");
        }

        for (int i = 0; i < 52; i++)
        {
            byte[] tampered = (byte[])request.Clone();
            tampered[i] ^= 0x01;
            Assert.False(RendezvousPacket.TryReadRequest(tampered, out _, out _) && RendezvousPacket.VerifyRequest(tampered, Token), $"request byte {i}");
        }

        Assert.False(RendezvousPacket.TryReadAnswer(answer, 8, Token, out _, out _));
        Assert.False(RendezvousPacket.TryReadAnswer(answer.AsSpan(0, 40), 7, Token, out _, out _));
        Assert.False(RendezvousPacket.TryReadRequest(request.AsSpan(0, 63), out _, out _));
        Assert.False(RendezvousPacket.TryReadRequest(new byte[65], out _, out _));
        byte[] badMapping = (byte[])request.Clone();
        badMapping[6] = 9;
        Assert.False(RendezvousPacket.TryReadRequest(badMapping, out _, out _));
    }
}
