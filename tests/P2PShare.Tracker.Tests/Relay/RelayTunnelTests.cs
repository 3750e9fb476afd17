using System.Security.Cryptography;
using System.Text;
using P2PShare.Core.Crypto;
using P2PShare.Core.Transport;
using P2PShare.Tracker.Metrics;
using P2PShare.Tracker.Relay;
using P2PShare.Tracker.Tests.Support;
using Prometheus;

namespace P2PShare.Tracker.Tests.Relay;

public sealed class RelayTunnelTests
{
    private static readonly byte[] Marker = Encoding.ASCII.GetBytes("P2PSHARE-PLAINTEXT-MARKER-7f3a9c");

    [Fact]
    public async Task Tunnel_CarriesMebibytesBothWaysAtOnce_ByteIdentical()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        await using var b = await RelayPeer.StartAsync(host);

        var (mine, theirs) = await a.TunnelToAsync(b, host.Token);
        await using (mine)
        await using (theirs)
        {
            Assert.Equal(ConnectionKind.Relay, mine.Kind);
            Assert.Equal(b.PeerId, mine.RemotePeerId);
            Assert.Equal(a.PeerId, theirs.RemotePeerId);
            byte[] forward = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
            byte[] backward = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

            var receivedForward = ReadExactlyAsync(theirs.Stream, forward.Length, host.Token);
            var receivedBackward = ReadExactlyAsync(mine.Stream, backward.Length, host.Token);
            await Task.WhenAll(WriteInPiecesAsync(mine.Stream, forward, host.Token), WriteInPiecesAsync(theirs.Stream, backward, host.Token));

            Assert.Equal(SHA256.HashData(forward), SHA256.HashData(await receivedForward));
            Assert.Equal(SHA256.HashData(backward), SHA256.HashData(await receivedBackward));
        }

        Assert.True(host.Service<TrackerMetrics>().RelayBytesTotal >= 7 * 1024 * 1024);
    }

    [Fact]
    public async Task Tunnel_ClosedByOneEnd_EndsTheOtherEndsStreamAndFreesTheTunnel()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        await using var b = await RelayPeer.StartAsync(host);
        var (mine, theirs) = await a.TunnelToAsync(b, host.Token);
        await using var _ = theirs;

        await mine.Stream.WriteAsync(Marker, host.Token);
        await mine.DisposeAsync();

        Assert.Equal(Marker, await ReadExactlyAsync(theirs.Stream, Marker.Length, host.Token));
        Assert.Equal(0, await theirs.Stream.ReadAsync(new byte[16], host.Token));
        await WaitUntilAsync(() => host.Service<RelayHub>().TunnelCount == 0, host.Token);
        Assert.Contains("tracker_relay_tunnels_open 0", await ScrapeAsync(host));
    }

    [Fact]
    public async Task SecureChannel_HandshakesThroughTheTunnel_AndTheTrackerSendsOnlyCiphertext()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var capture = new TrafficCapture(host.BaseAddress);
        await using var a = await RelayPeer.StartAsync(host, via: capture.Address);
        await using var b = await RelayPeer.StartAsync(host, via: capture.Address);
        byte[] plaintext = RepeatedMarker(1024 * 1024);

        var (mine, theirs) = await a.TunnelToAsync(b, host.Token);
        await using (mine)
        await using (theirs)
        {
            var accepting = SecureChannel.AcceptAsync(theirs.Stream, b.Identity, host.Token);
            await using var dialer = await SecureChannel.ConnectAsync(mine.Stream, a.Identity, b.Identity.PublicKey, host.Token);
            await using var responder = await accepting;
            Assert.Equal(a.PeerId, responder.RemotePeerId);

            var received = ReadExactlyAsync(responder, plaintext.Length, host.Token);
            await dialer.WriteAsync(plaintext, host.Token);
            await dialer.FlushAsync(host.Token);
            Assert.Equal(plaintext, await received);
        }

        byte[] seen = capture.TrackerToClientBytes();
        Assert.True(seen.Length > plaintext.Length, $"the capture holds {seen.Length} bytes, less than the {plaintext.Length} relayed");
        Assert.Equal(-1, seen.AsSpan().IndexOf(Marker));
    }

    [Fact]
    public async Task TrafficCapture_SeesPlaintextSentThroughTheTunnelWithoutASecureChannel()
    {
        // The counterpart of the test above: shows the capture would find the marker if the relay carried plaintext.
        await using var host = await TrackerHost.StartAsync();
        await using var capture = new TrafficCapture(host.BaseAddress);
        await using var a = await RelayPeer.StartAsync(host, via: capture.Address);
        await using var b = await RelayPeer.StartAsync(host, via: capture.Address);
        byte[] plaintext = RepeatedMarker(64 * 1024);

        var (mine, theirs) = await a.TunnelToAsync(b, host.Token);
        await using (mine)
        await using (theirs)
        {
            var received = ReadExactlyAsync(theirs.Stream, plaintext.Length, host.Token);
            await mine.Stream.WriteAsync(plaintext, host.Token);
            Assert.Equal(plaintext, await received);
        }

        Assert.NotEqual(-1, capture.TrackerToClientBytes().AsSpan().IndexOf(Marker));
    }

    [Fact]
    public async Task Tunnel_IdleForTheIdleTimeout_IsClosedWithTheTimeoutCode()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        await using var b = await RelayPeer.StartAsync(host);
        var (mine, theirs) = await a.TunnelToAsync(b, host.Token);
        await using var _ = mine;
        await using var __ = theirs;
        var reading = mine.Stream.ReadAsync(new byte[16], host.Token).AsTask();

        host.Time.Advance(host.Service<RelayHub>().Options.IdleTimeout + TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<IOException>(() => reading);
        Assert.Contains("4008", error.Message);
        await WaitUntilAsync(() => host.Service<RelayHub>().TunnelCount == 0, host.Token);
    }

    internal static byte[] RepeatedMarker(int length)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i += Marker.Length)
        {
            Marker.AsSpan(0, Math.Min(Marker.Length, length - i)).CopyTo(data.AsSpan(i));
        }

        return data;
    }

    internal static async Task<byte[]> ReadExactlyAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        byte[] data = new byte[length];
        await stream.ReadExactlyAsync(data, cancellationToken);
        return data;
    }

    internal static async Task WriteInPiecesAsync(Stream stream, byte[] data, CancellationToken cancellationToken)
    {
        const int Piece = 256 * 1024;
        for (int offset = 0; offset < data.Length; offset += Piece)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(Piece, data.Length - offset)), cancellationToken);
        }
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    internal static async Task<string> ScrapeAsync(TrackerHost host)
    {
        using var stream = new MemoryStream();
        await host.Service<TrackerMetrics>().Registry.CollectAndExportAsTextAsync(stream, host.Token);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
