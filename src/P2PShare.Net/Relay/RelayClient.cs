using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Net.Relay;

/// <summary>
/// A peer's side of the tracker's relay. Keeps the control socket open (reconnecting with exponential back-off and
/// jitter, WebSocket pings to keep it alive), publishes invitations from other peers in <see cref="Invitations"/>,
/// and opens tunnels: <see cref="ConnectAsync"/> asks for a tunnel to a peer, <see cref="AcceptAsync"/> joins one
/// this peer was invited to. Both return once the other end has joined.
/// </summary>
public sealed partial class RelayClient : IAsyncDisposable
{
    private readonly RelayClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<RelayInvitation> _invitations;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RelayMessage>> _pending = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? _control;
    private long _nextRequestId;
    private Task _loop = Task.CompletedTask;

    public RelayClient(RelayClientOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _invitations = Channel.CreateBounded<RelayInvitation>(new BoundedChannelOptions(options.InvitationQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
        });
    }

    /// <summary>Tunnels other peers asked for; accept one with <see cref="AcceptAsync"/> or let it time out.</summary>
    public ChannelReader<RelayInvitation> Invitations => _invitations.Reader;

    /// <summary>True while the control socket is open and welcomed.</summary>
    public bool IsConnected => _connected.Task.IsCompletedSuccessfully;

    /// <summary>
    /// Raised when a welcomed control socket closes (the tracker restarted, the network dropped); the client
    /// reconnects by itself, but whoever registered with the tracker may want to register again at once.
    /// </summary>
    public event Action? ControlLost;

    /// <summary>Times the control socket was (re)opened and welcomed.</summary>
    public int ConnectCount { get; private set; }

    /// <summary>Starts keeping the control socket open, until disposed.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Completes when the control socket is open (now or after the next reconnect).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Asks the tracker for a tunnel to <paramref name="peerId"/> and joins it. Throws
    /// <see cref="RelayRefusedException"/> when the tracker refuses (unknown or offline peer, limits) or the peer
    /// does not join in time, <see cref="IOException"/> when the relay cannot be reached.
    /// </summary>
    public async Task<RelayTunnelConnection> ConnectAsync(string peerId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            var answer = await RequestAsync(new RelayMessage { Type = RelayMessageTypes.Connect, Target = peerId }, timeout.Token).ConfigureAwait(false);
            if (answer.Type != RelayMessageTypes.Tunnel || string.IsNullOrEmpty(answer.Tunnel))
            {
                throw new RelayRefusedException(answer.Code ?? RelayErrorCodes.BadRequest, $"relay refused a tunnel to {peerId}: {answer.Message ?? answer.Type}");
            }

            return await JoinAsync(answer.Tunnel, peerId, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RelayRefusedException(RelayErrorCodes.Timeout, $"no relay tunnel to {peerId} within {_options.ConnectTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Joins the tunnel of an invitation; returns once both ends are in.</summary>
    public async Task<RelayTunnelConnection> AcceptAsync(RelayInvitation invitation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            return await JoinAsync(invitation.TunnelId, invitation.FromPeerId, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RelayRefusedException(RelayErrorCodes.Timeout, $"relay tunnel from {invitation.FromPeerId} not joined within {_options.ConnectTimeout.TotalSeconds:0} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        WebSocket? control;
        lock (_gate)
        {
            control = _control;
        }

        control?.Abort();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _invitations.Writer.TryComplete();
        _stop.Dispose();
        _sendGate.Dispose();
    }

    private async Task<RelayTunnelConnection> JoinAsync(string tunnelId, string remotePeerId, CancellationToken cancellationToken)
    {
        var socket = NewSocket(control: false);
        try
        {
            await socket.ConnectAsync(RelayUri(tunnelId), _options.Invoker, cancellationToken).ConfigureAwait(false);
            await WaitForJoinedAsync(socket, cancellationToken).ConfigureAwait(false);
            return new RelayTunnelConnection(socket, tunnelId, remotePeerId, new DnsEndPoint(_options.Tracker.Host, _options.Tracker.Port));
        }
        catch (WebSocketException ex)
        {
            socket.Dispose();
            throw ex.WebSocketErrorCode == WebSocketError.NotAWebSocket && socket.HttpStatusCode == HttpStatusCode.NotFound
                ? new RelayRefusedException(RelayErrorCodes.Timeout, $"relay tunnel {tunnelId} is no longer waiting (expired or already joined)")
                : new IOException($"relay tunnel {tunnelId} could not be opened: {ex.Message} (HTTP {(int)socket.HttpStatusCode})", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The tracker's first message on a tunnel socket says the other end is in; a close says why not.</summary>
    private static async Task WaitForJoinedAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[RelayLimits.MaxControlMessageBytes];
        var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            string code = socket.CloseStatus is { } status && (int)status == RelayCloseCodes.Timeout ? RelayErrorCodes.Timeout : RelayErrorCodes.NotAccepting;
            throw new RelayRefusedException(code, $"relay closed the tunnel before it was joined: {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
        }

        if (result.MessageType != WebSocketMessageType.Text || !result.EndOfMessage
            || Parse(buffer.AsSpan(0, result.Count)) is not { Type: RelayMessageTypes.Joined })
        {
            throw new IOException("relay sent something other than 'joined' on a new tunnel");
        }
    }

    private ClientWebSocket NewSocket(bool control)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        if (control)
        {
            // Only the control socket is read all the time; a tunnel may rightly go unread while its reader is slow.
            socket.Options.KeepAliveTimeout = _options.KeepAliveInterval;
        }

        if (_options.Token() is { Length: > 0 } token)
        {
            socket.Options.SetRequestHeader(TrackerHeaders.PeerToken, token);
        }

        if (_options.ApiKey is { Length: > 0 } key)
        {
            socket.Options.SetRequestHeader(TrackerHeaders.ApiKey, key);
        }

        return socket;
    }

    private Uri RelayUri(string? tunnelId)
    {
        var builder = new UriBuilder(_options.Tracker)
        {
            Scheme = _options.Tracker.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = _options.Tracker.AbsolutePath.TrimEnd('/') + RelayLimits.Path,
            Query = $"{RelayLimits.PeerIdParameter}={Uri.EscapeDataString(_options.PeerId)}"
                + (tunnelId is null ? "" : $"&{RelayLimits.TunnelParameter}={Uri.EscapeDataString(tunnelId)}"),
        };
        return builder.Uri;
    }
}
