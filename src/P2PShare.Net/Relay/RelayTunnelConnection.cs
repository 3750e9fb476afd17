using System.Net;
using System.Net.WebSockets;
using P2PShare.Core.Transport;

namespace P2PShare.Net.Relay;

/// <summary>A joined relay tunnel to a peer: a byte stream through the tracker, which only forwards it.</summary>
public sealed class RelayTunnelConnection(WebSocket socket, string tunnelId, string remotePeerId, EndPoint relay) : IPeerConnection
{
    private readonly WebSocketByteStream _stream = new(socket);

    public Stream Stream => _stream;

    /// <summary>The tracker's relay endpoint (the only address this side sees).</summary>
    public EndPoint? RemoteEndPoint { get; } = relay;

    public ConnectionKind Kind => ConnectionKind.Relay;

    public string TunnelId { get; } = tunnelId;

    /// <summary>The peer the tracker says is at the other end; the secure channel handshake proves it.</summary>
    public string RemotePeerId { get; } = remotePeerId;

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
