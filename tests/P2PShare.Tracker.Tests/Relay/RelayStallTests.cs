using System.Net.WebSockets;
using System.Text;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Tracker.Relay;
using P2PShare.Tracker.Tests.Support;
using static P2PShare.Tracker.Tests.Relay.RelayTunnelTests;

namespace P2PShare.Tracker.Tests.Relay;

/// <summary>
/// A control socket that stalls (stops reading, so it answers no ping; or stops half-way through a message) holds
/// nothing for long: the tracker's keep-alive deadline closes it, and the tunnels of other peers carry on.
/// </summary>
public sealed class RelayStallTests
{
    // The keep-alive runs on the WebSocket's own timer, not the tracker's TimeProvider, so the test shortens it.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ControlSocket_ThatStalls_IsClosedByTheKeepAliveDeadline_WhileAnotherTunnelCarriesOn(bool midMessage)
    {
        await using var host = await TrackerHost.StartAsync(o => o with { Relay = o.Relay with { KeepAliveInterval = KeepAlive } });
        var hub = host.Service<RelayHub>();
        await using var c = await RelayPeer.StartAsync(host);
        await using var d = await RelayPeer.StartAsync(host);
        var (mine, theirs) = await c.TunnelToAsync(d, host.Token);
        await using var _ = mine;
        await using var __ = theirs;
        var stalled = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(stalled, host.Token);
        using var socket = await RelayPeer.OpenRawAsync(host, $"peer_id={stalled.PeerId}", registration.Token, host.Token);
        await socket.ReceiveAsync(new byte[RelayLimits.MaxControlMessageBytes], host.Token); // welcome
        await WaitUntilAsync(() => hub.HasSession(stalled.PeerId), host.Token);

        if (midMessage)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"conn"""), WebSocketMessageType.Text, endOfMessage: false, host.Token);
        }

        // From here the socket is never read again, so the tracker's pings go unanswered.
        await WaitUntilAsync(() => !hub.HasSession(stalled.PeerId), host.Token);

        Assert.True(c.Client.IsConnected && d.Client.IsConnected);
        byte[] data = RepeatedMarker(256 * 1024);
        var received = ReadExactlyAsync(theirs.Stream, data.Length, host.Token);
        await mine.Stream.WriteAsync(data, host.Token);
        Assert.Equal(data, await received);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
