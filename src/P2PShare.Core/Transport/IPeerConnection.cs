using System.Net;

namespace P2PShare.Core.Transport;

/// <summary>
/// A raw, not yet encrypted, duplex byte stream to a peer. Above it every connection is built the same way:
/// secure channel handshake → (throttling) → framing. Disposing closes the connection.
/// </summary>
public interface IPeerConnection : IAsyncDisposable
{
    /// <summary>The bytes to and from the peer; owned by the connection.</summary>
    Stream Stream { get; }

    /// <summary>The remote end as this transport sees it (for a relay, the relay's endpoint), if known.</summary>
    EndPoint? RemoteEndPoint { get; }

    ConnectionKind Kind { get; }
}
