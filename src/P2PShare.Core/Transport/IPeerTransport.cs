namespace P2PShare.Core.Transport;

/// <summary>
/// One way of reaching peers (TCP, hole-punched UDP, WebSocket relay). Implementations live in P2PShare.Net.
/// Connection failures surface as <see cref="IOException"/> (or <see cref="OperationCanceledException"/>).
/// </summary>
public interface IPeerTransport : IAsyncDisposable
{
    /// <summary>Short name used in logs and configuration, e.g. "tcp", "udp", "relay".</summary>
    string Scheme { get; }

    ValueTask<IPeerConnection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken);

    /// <summary>Waits for the next inbound connection.</summary>
    ValueTask<IPeerConnection> AcceptAsync(CancellationToken cancellationToken);
}
