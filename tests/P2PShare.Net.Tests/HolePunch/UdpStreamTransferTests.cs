using System.Security.Cryptography;
using P2PShare.Core.Crypto;
using P2PShare.Net.HolePunch;

namespace P2PShare.Net.Tests.HolePunch;

public sealed class UdpStreamTransferTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Transfer_CleanLoopback_ArrivesByteIdenticalBothWays()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct);
        var there = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        var back = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        var forward = UdpStreamPair.TransferAsync(pair.Client.Stream, pair.Server.Stream, there, Ct, close: false);
        var backward = UdpStreamPair.TransferAsync(pair.Server.Stream, pair.Client.Stream, back, Ct, close: false);

        Assert.Equal(SHA256.HashData(there), SHA256.HashData(await forward));
        Assert.Equal(SHA256.HashData(back), SHA256.HashData(await backward));
        Assert.Equal(UdpPacket.ProbeDatagramSize, pair.Client.DatagramSize);
    }

    [Theory]
    [InlineData(0.05, 4 * 1024 * 1024)]
    [InlineData(0.20, 1024 * 1024)]
    public async Task Transfer_ThroughLossDuplicationAndReordering_ArrivesByteIdentical(double loss, int size)
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, loss: loss, duplicate: 0.05, reorder: 0.05);
        var data = RandomNumberGenerator.GetBytes(size);

        var received = await UdpStreamPair.TransferAsync(pair.Client.Stream, pair.Server.Stream, data, Ct);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
        Assert.True(pair.Forwarder!.Dropped > 0, "the forwarder dropped nothing, so loss recovery was not exercised");
    }

    [Fact]
    public async Task NoiseHandshake_OverTheStream_CarriesBulkDataByteIdentical()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, loss: 0.02, reorder: 0.02);
        using var dialer = PeerIdentity.Generate();
        using var listener = PeerIdentity.Generate();
        var accepting = SecureChannel.AcceptAsync(pair.Server.Stream, listener, Ct);
        await using var client = await SecureChannel.ConnectAsync(pair.Client.Stream, dialer, listener.PublicKey, Ct);
        await using var server = await accepting;
        var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);

        var received = await UdpStreamPair.TransferAsync(client, server, data, Ct);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
    }
}
