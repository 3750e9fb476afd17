using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Transport;

namespace P2PShare.Net.Tcp;

/// <summary>A direct TCP connection to a peer.</summary>
public sealed class TcpPeerConnection(NetworkStream stream, EndPoint? remote) : IPeerConnection
{
    public Stream Stream { get; } = stream;

    public EndPoint? RemoteEndPoint { get; } = remote;

    public ConnectionKind Kind => ConnectionKind.Direct;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
