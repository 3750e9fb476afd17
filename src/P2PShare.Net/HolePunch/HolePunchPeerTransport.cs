using System.Net;
using P2PShare.Core.Transport;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// The hole-punched path as an <see cref="IPeerTransport"/>: dials the punched endpoint (Host:Port of the address)
/// with the token the coordination handed out for that peer, and accepts streams signed with allowed tokens.
/// </summary>
public sealed class HolePunchPeerTransport(UdpStreamSocket socket, Func<PeerAddress, ReadOnlyMemory<byte>?> tokenFor) : IPeerTransport
{
    public string Scheme => "udp";

    public UdpStreamSocket Socket { get; } = socket;

    public async ValueTask<IPeerConnection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address.Host, out var ip))
        {
            throw new IOException($"'{address.Host}' is not an IP address");
        }

        var token = tokenFor(address) ?? throw new IOException($"no hole-punch token for peer {address.PeerId}");
        return await Socket.ConnectAsync(new IPEndPoint(ip, address.Port), token, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IPeerConnection> AcceptAsync(CancellationToken cancellationToken) =>
        await Socket.AcceptAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
