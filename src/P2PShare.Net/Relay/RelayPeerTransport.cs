using P2PShare.Core.Transport;

namespace P2PShare.Net.Relay;

/// <summary>The relay as an <see cref="IPeerTransport"/>: dials by peer ID, accepts invitations in arrival order.</summary>
public sealed class RelayPeerTransport(RelayClient client) : IPeerTransport
{
    public string Scheme => "relay";

    public async ValueTask<IPeerConnection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken) =>
        await client.ConnectAsync(address.PeerId, cancellationToken).ConfigureAwait(false);

    /// <summary>Waits for the next invitation and joins it; an invitation that can no longer be joined is skipped.</summary>
    public async ValueTask<IPeerConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var invitation = await client.Invitations.ReadAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await client.AcceptAsync(invitation, cancellationToken).ConfigureAwait(false);
            }
            catch (RelayRefusedException)
            {
                // The asker gave up or the tunnel expired; wait for the next one.
            }
        }
    }

    /// <summary>The client belongs to whoever created it; the transport owns nothing.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
