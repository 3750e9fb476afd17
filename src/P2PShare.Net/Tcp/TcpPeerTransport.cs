using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Transport;

namespace P2PShare.Net.Tcp;

/// <summary>Direct TCP, the first transport the connection order tries: listens on the P2P port and dials peers.</summary>
public sealed class TcpPeerTransport : IPeerTransport
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpPeerListener _listener;
    private readonly TimeSpan _connectTimeout;

    private TcpPeerTransport(TcpPeerListener listener, TimeSpan connectTimeout)
    {
        _listener = listener;
        _connectTimeout = connectTimeout;
    }

    public string Scheme => "tcp";

    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/> (0 picks a free port).</summary>
    public static TcpPeerTransport Start(IPAddress address, int port, TimeSpan? connectTimeout = null) =>
        new(TcpPeerListener.Start(address, port), connectTimeout ?? DefaultConnectTimeout);

    public async ValueTask<IPeerConnection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address.Host, out var ip))
        {
            throw new IOException($"'{address.Host}' is not an IP address");
        }

        var remote = new IPEndPoint(ip, address.Port);
        try
        {
            var stream = await TcpPeerDialer.ConnectAsync(remote, _connectTimeout, cancellationToken).ConfigureAwait(false);
            return new TcpPeerConnection(stream, remote);
        }
        catch (SocketException ex)
        {
            throw new IOException($"cannot connect to {remote}: {ex.Message}", ex);
        }
    }

    public async ValueTask<IPeerConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        var (stream, remote) = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return new TcpPeerConnection(stream, remote);
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
