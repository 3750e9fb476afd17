using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PShare.Net.HolePunch;

namespace P2PShare.Net.Tests.HolePunch;

/// <summary>Each impairment on its own, both with and without the kernel's segmentation offload, and forged DATA.</summary>
public sealed class UdpStreamImpairmentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Transfer_ThroughHeavyReordering_ArrivesByteIdentical(bool offload)
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, new UdpStreamOptions { UseSegmentationOffload = offload }, reorder: 0.3);
        var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);

        var received = await UdpStreamPair.TransferAsync(pair.Client.Stream, pair.Server.Stream, data, Ct);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
        Assert.True(pair.Forwarder!.Reordered > 100, $"only {pair.Forwarder.Reordered} datagrams were reordered");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Transfer_ThroughHeavyDuplication_ArrivesByteIdentical(bool offload)
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, new UdpStreamOptions { UseSegmentationOffload = offload }, duplicate: 0.3);
        var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);

        var received = await UdpStreamPair.TransferAsync(pair.Client.Stream, pair.Server.Stream, data, Ct);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
        Assert.True(pair.Forwarder!.Duplicated > 100, $"only {pair.Forwarder.Duplicated} datagrams were duplicated");
    }

    [Fact]
    public async Task Transfer_WithoutOffload_ThroughLoss_ArrivesByteIdentical()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct, new UdpStreamOptions { UseSegmentationOffload = false }, loss: 0.05, duplicate: 0.05, reorder: 0.05);
        var data = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);

        var received = await UdpStreamPair.TransferAsync(pair.Client.Stream, pair.Server.Stream, data, Ct);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
        Assert.Equal((false, false), pair.SocketA.Offload);
    }

    [Fact]
    public async Task Bind_OnLinux_TurnsOnSegmentationBothWays()
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("skipped: UDP_SEGMENT and UDP_GRO are Linux socket options");
            return;
        }

        await using var socket = UdpStreamSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Equal((true, true), socket.Offload);
    }

    /// <summary>
    /// A stranger who learned the stream's connection ID floods DATA that would overwrite the stream's first bytes
    /// and end it early; it comes from another address, so none of it may count.
    /// </summary>
    [Fact]
    public async Task ForgedData_WithTheRightConnectionId_FromAnotherAddress_ChangesNothing()
    {
        await using var pair = await UdpStreamPair.OpenAsync(Ct);
        var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        var transfer = UdpStreamPair.TransferAsync(pair.Client.Stream, pair.Server.Stream, data, Ct, close: false);

        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var forged = new byte[UdpPacket.DataHeaderSize + UdpFrame.StreamHeaderSize + 1000 + 9];
        for (var i = 0; i < 20_000; i++)
        {
            UdpPacket.WriteHeader(forged, UdpPacket.Data, pair.Server.LocalId);
            BinaryPrimitives.WriteInt64BigEndian(forged.AsSpan(UdpPacket.HeaderSize), i);
            var frame = forged.AsSpan(UdpPacket.DataHeaderSize);
            frame[0] = UdpFrame.Stream;
            BinaryPrimitives.WriteInt64BigEndian(frame[1..], (i % 64) * 1000L);
            BinaryPrimitives.WriteUInt16BigEndian(frame[9..], 1000);
            frame.Slice(UdpFrame.StreamHeaderSize, 1000).Fill(0xEE);
            frame[UdpFrame.StreamHeaderSize + 1000] = UdpFrame.Fin;
            BinaryPrimitives.WriteInt64BigEndian(frame[(UdpFrame.StreamHeaderSize + 1001)..], 64_000);
            attacker.SendTo(forged, SocketFlags.None, pair.SocketB.LocalEndPoint);
        }

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await transfer));
        Assert.Equal(1, pair.SocketB.ConnectionCount);
    }
}
