using System.Net.Sockets;
using System.Net.WebSockets;
using P2PShare.Core.Crypto;
using P2PShare.Core.TrackerApi;
using P2PShare.Net.Relay;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>A registered peer with a real identity key and a <see cref="RelayClient"/> on the tracker's relay.</summary>
internal sealed class RelayPeer : IAsyncDisposable
{
    private RelayPeer(PeerIdentity identity, string token, RelayClient client)
    {
        Identity = identity;
        Token = token;
        Client = client;
    }

    public PeerIdentity Identity { get; }

    public string PeerId => Identity.PeerId;

    public string Token { get; }

    public RelayClient Client { get; }

    /// <summary>Registers a new peer and opens its control socket (through <paramref name="via"/> if given).</summary>
    public static async Task<RelayPeer> StartAsync(TrackerHost host, Uri? via = null, bool connect = true, HttpMessageInvoker? invoker = null)
    {
        var identity = PeerIdentity.Generate();
        var registration = await host.Client.RegisterAsync(new TestPeer(identity.PeerId, Convert.ToHexStringLower(identity.PublicKey.Span), identity), host.Token);
        var client = new RelayClient(
            new RelayClientOptions
            {
                Tracker = via ?? host.BaseAddress,
                PeerId = identity.PeerId,
                Token = () => registration.Token,
                MinReconnectDelay = TimeSpan.FromMilliseconds(50),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
                Invoker = invoker,
            },
            TimeProvider.System);
        var peer = new RelayPeer(identity, registration.Token, client);
        if (connect)
        {
            client.Start();
            await client.WaitUntilConnectedAsync(host.Token);
        }

        return peer;
    }

    /// <summary>An HTTP stack whose sockets have small kernel buffers, so flow control shows up early.</summary>
    public static HttpMessageInvoker SmallBuffers(int bytes) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = bytes, SendBufferSize = bytes };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    /// <summary>Opens a tunnel from this peer to <paramref name="other"/>, which accepts its invitation.</summary>
    public async Task<(RelayTunnelConnection Mine, RelayTunnelConnection Theirs)> TunnelToAsync(RelayPeer other, CancellationToken cancellationToken)
    {
        var dialing = Client.ConnectAsync(other.PeerId, cancellationToken);
        var invitation = await other.Client.Invitations.ReadAsync(cancellationToken);
        Assert.Equal(PeerId, invitation.FromPeerId);
        var accepting = other.Client.AcceptAsync(invitation, cancellationToken);
        return (await dialing, await accepting);
    }

    /// <summary>A raw WebSocket on /relay with the given query and token, for tests that speak the protocol by hand.</summary>
    public static async Task<ClientWebSocket> OpenRawAsync(TrackerHost host, string query, string? token, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader(TrackerHeaders.PeerToken, token);
        }

        await socket.ConnectAsync(host.WebSocketUri($"/relay?{query}"), cancellationToken);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Identity.Dispose();
    }
}
