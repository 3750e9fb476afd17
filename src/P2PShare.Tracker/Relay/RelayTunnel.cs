using System.Net.WebSockets;

namespace P2PShare.Tracker.Relay;

/// <summary>
/// A tunnel between the peer that asked (<see cref="From"/>) and the peer it asked for (<see cref="To"/>): waits
/// for both ends to join with their tunnel sockets, then is spliced until either end goes. <see cref="Completion"/>
/// ends when the tunnel is over, so the request handlers holding the sockets know when to let go.
/// </summary>
internal sealed class RelayTunnel(string id, string from, string to)
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private WebSocket? _fromSocket;
    private WebSocket? _toSocket;
    private bool _over;

    public string Id { get; } = id;

    public string From { get; } = from;

    public string To { get; } = to;

    public Task Completion => _completion.Task;

    /// <summary>The splice, once both ends are in.</summary>
    public TunnelSplice? Splice { get; set; }

    /// <summary>The join timer; disposed when both ends are in or the tunnel ends.</summary>
    public ITimer? Timer { get; set; }

    public bool IsEnd(string peerId) => peerId == From || peerId == To;

    public bool HasJoined(string peerId)
    {
        lock (_gate)
        {
            return (peerId == From && _fromSocket is not null) || (peerId == To && _toSocket is not null);
        }
    }

    /// <summary>
    /// Takes the socket of one end. Returns false when that end has already joined or the tunnel is over;
    /// <paramref name="both"/> is true when this was the second end.
    /// </summary>
    public bool TryJoin(string peerId, WebSocket socket, out WebSocket? other, out bool both)
    {
        other = null;
        both = false;
        lock (_gate)
        {
            if (_over)
            {
                return false;
            }

            if (peerId == From && _fromSocket is null)
            {
                _fromSocket = socket;
                other = _toSocket;
            }
            else if (peerId == To && _toSocket is null)
            {
                _toSocket = socket;
                other = _fromSocket;
            }
            else
            {
                return false;
            }

            both = other is not null;
            return true;
        }
    }

    /// <summary>Marks the tunnel over before both ends joined; returns the sockets that did join (to close).</summary>
    public IReadOnlyList<WebSocket>? Abandon()
    {
        lock (_gate)
        {
            if (_over || (_fromSocket is not null && _toSocket is not null))
            {
                return null;
            }

            _over = true;
            return [.. new[] { _fromSocket, _toSocket }.OfType<WebSocket>()];
        }
    }

    public void Complete() => _completion.TrySetResult();
}
