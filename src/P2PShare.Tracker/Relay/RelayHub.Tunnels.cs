using System.Net.WebSockets;
using System.Text;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.Throttling;

namespace P2PShare.Tracker.Relay;

/// <summary>The tunnel half of the hub: joining, the join timeout, splicing, the idle timeout.</summary>
internal sealed partial class RelayHub
{
    private static readonly byte[] JoinedMessage = Encoding.UTF8.GetBytes($$"""{"type":"{{RelayMessageTypes.Joined}}"}""");

    /// <summary>True when <paramref name="tunnelId"/> is a tunnel waiting for <paramref name="peerId"/>'s end.</summary>
    public bool HasTunnelFor(string peerId, string tunnelId)
    {
        lock (_gate)
        {
            return _tunnels.TryGetValue(tunnelId, out var tunnel) && tunnel.IsEnd(peerId) && !tunnel.HasJoined(peerId);
        }
    }

    /// <summary>
    /// Joins one end of a tunnel and holds its socket until the tunnel is over. The second end to join runs the
    /// splice. A socket for no such tunnel (or an end that already joined) is closed with
    /// <see cref="RelayCloseCodes.UnknownTunnel"/>.
    /// </summary>
    public async Task JoinTunnelAsync(string peerId, string tunnelId, WebSocket socket, CancellationToken stopping)
    {
        RelayTunnel? tunnel;
        lock (_gate)
        {
            _tunnels.TryGetValue(tunnelId, out tunnel);
        }

        WebSocket? other = null;
        bool both = false;
        if (tunnel is null || !tunnel.TryJoin(peerId, socket, out other, out both))
        {
            await SocketClosing.CloseOutputAsync(socket, RelayCloseCodes.UnknownTunnel, "no such tunnel waiting for this peer");
            await SocketClosing.DrainUntilClosedAsync(socket);
            return;
        }

        using var stop = stopping.Register(() => Shutdown(tunnel));
        if (both)
        {
            tunnel.Timer?.Dispose();
            await SpliceAsync(tunnel, peerId == tunnel.From ? socket : other!, peerId == tunnel.To ? socket : other!);
        }

        await tunnel.Completion;
    }

    private async Task SpliceAsync(RelayTunnel tunnel, WebSocket from, WebSocket to)
    {
        long bytes = 0;
        var splice = new TunnelSplice(from, to, Options.TunnelRate > 0 ? new TokenBucket(Options.TunnelRate, _time) : null, _totalRate, _time)
        {
            Forwarded = count =>
            {
                Interlocked.Add(ref bytes, count);
                _metrics.RelayForwarded(count);
            },
        };
        tunnel.Splice = splice;
        var period = Options.IdleTimeout / 4;
        tunnel.Timer = _time.CreateTimer(_ => CheckIdle(splice), null, period, period);
        try
        {
            await Task.WhenAll(SendJoinedAsync(from), SendJoinedAsync(to));
            await splice.RunAsync();
            Log.TunnelClosed(_logger, tunnel.Id, Interlocked.Read(ref bytes), (int)(from.CloseStatus ?? to.CloseStatus ?? 0), from.CloseStatusDescription ?? to.CloseStatusDescription ?? "");
        }
        finally
        {
            Remove(tunnel);
            tunnel.Complete();
        }
    }

    private void CheckIdle(TunnelSplice splice)
    {
        if (splice.IdleFor >= Options.IdleTimeout)
        {
            splice.RequestClose(RelayCloseCodes.Timeout, $"tunnel idle for {Options.IdleTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Tells both ends that bytes flow from now on; a failure here shows up in the splice.</summary>
    private static async Task SendJoinedAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(SocketClosing.CloseTimeout);
        try
        {
            await socket.SendAsync(JoinedMessage, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    private void JoinTimedOut(RelayTunnel tunnel)
    {
        string missing = tunnel.HasJoined(tunnel.To) ? tunnel.From : tunnel.To;
        _ = AbandonAsync(tunnel, RelayErrorCodes.Timeout, RelayCloseCodes.Timeout, $"peer {missing} did not join the tunnel within {Options.JoinTimeout.TotalSeconds:0} s");
    }

    private void Abandon(RelayTunnel tunnel) =>
        _ = AbandonAsync(tunnel, RelayErrorCodes.NotAccepting, RelayCloseCodes.UnknownTunnel, "the invitation could not be delivered");

    /// <summary>Ends a tunnel that never had both ends: the asker hears why, any joined socket is closed.</summary>
    private async Task AbandonAsync(RelayTunnel tunnel, string code, int closeStatus, string reason)
    {
        var joined = tunnel.Abandon();
        if (joined is null || !Remove(tunnel))
        {
            return;
        }

        _metrics.RelayInvitationFailed(code);
        Log.TunnelFailed(_logger, tunnel.Id, tunnel.From, tunnel.To, reason);
        Notify(tunnel.From, RelayMessage.Failure(null, tunnel.Id, code, reason));
        await Task.WhenAll(joined.Select(socket => SocketClosing.CloseOutputAsync(socket, closeStatus, reason)));
        tunnel.Complete();
    }

    private void Shutdown(RelayTunnel tunnel)
    {
        if (tunnel.Splice is { } splice)
        {
            splice.RequestClose((int)WebSocketCloseStatus.EndpointUnavailable, "tracker shutting down");
        }
        else
        {
            _ = AbandonAsync(tunnel, RelayErrorCodes.NotAccepting, (int)WebSocketCloseStatus.EndpointUnavailable, "tracker shutting down");
        }
    }
}
