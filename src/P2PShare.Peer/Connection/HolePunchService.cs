using System.Buffers.Text;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Core.Transport;
using P2PShare.Net.HolePunch;
using P2PShare.Net.Relay;

namespace P2PShare.Peer.Connection;

/// <summary>
/// The hole-punch path as a transport. Dialing asks the tracker (over the relay control socket) to coordinate a
/// punch; both peers then send signed PUNCH datagrams from the hole-punch socket toward the endpoint the tracker
/// observed for the other, and the side the tracker named opens the UDP stream with HELLO. Whoever opened the
/// stream, the peer that asked runs the Noise handshake as initiator, so the other side always accepts. Inbound
/// streams nobody is waiting for go to <see cref="AcceptAsync"/> (a <see cref="PeerServer"/>).
/// </summary>
internal sealed partial class HolePunchService : IPeerTransport
{
    /// <summary>
    /// How long both sides keep punching and the HELLO is repeated (30 punches): the verdict comes within this, so a
    /// pair that cannot be punched still reaches the relay within 5 s of the dial (the lab's punches that get
    /// through do so in the first few hundred ms).
    /// </summary>
    public static readonly TimeSpan PunchWindow = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan PunchSpacing = TimeSpan.FromMilliseconds(100);

    private readonly UdpStreamSocket _socket;
    private readonly RelayClient _signalling;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<IPeerConnection> _inbound = Channel.CreateBounded<IPeerConnection>(16);
    private readonly Dictionary<IPAddress, TaskCompletionSource<UdpStreamConnection>> _awaiting = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _disposed;

    public HolePunchService(UdpStreamSocket socket, RelayClient signalling, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _signalling = signalling;
        _time = time;
        _logger = logger;
        _acceptLoop = AcceptLoopAsync(_stop.Token);
        _offerLoop = OfferLoopAsync(_stop.Token);
    }

    public string Scheme => "udp";

    public UdpStreamSocket Socket => _socket;

    /// <summary>Punches to <paramref name="address"/>'s peer (Host and Port are unused: the tracker knows the endpoint).</summary>
    public async ValueTask<IPeerConnection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        RelayMessage offer;
        try
        {
            offer = await _signalling.RequestPunchAsync(address.PeerId, cancellationToken);
        }
        catch (RelayRefusedException ex)
        {
            throw new IOException($"tracker did not coordinate a punch: {ex.Message}", ex);
        }

        var (endpoint, token) = Parse(offer);
        return offer.Hello == true
            ? await OpenAsync(endpoint, token, cancellationToken)
            : await AwaitOpenedAsync(endpoint, token, cancellationToken);
    }

    public async ValueTask<IPeerConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _inbound.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException(nameof(HolePunchService), ex);
        }
    }

    /// <summary>This side sends HELLO (repeated by ConnectAsync) while punching, so the other NAT has a hole for it.</summary>
    private async Task<UdpStreamConnection> OpenAsync(IPEndPoint endpoint, byte[] token, CancellationToken ct)
    {
        using var punching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var punches = PunchAsync(endpoint, token, punching.Token);
        try
        {
            return await _socket.ConnectAsync(endpoint, token, ct);
        }
        finally
        {
            await punching.CancelAsync();
            await punches;
        }
    }

    /// <summary>The other side sends HELLO; this one punches and waits for the stream from the other's address.</summary>
    private async Task<UdpStreamConnection> AwaitOpenedAsync(IPEndPoint endpoint, byte[] token, CancellationToken ct)
    {
        var opened = new TaskCompletionSource<UdpStreamConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_awaiting)
        {
            if (!_awaiting.TryAdd(endpoint.Address, opened))
            {
                throw new IOException($"a punch toward {endpoint.Address} is already under way");
            }
        }

        _socket.AllowToken(token);
        using var punching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var punches = PunchAsync(endpoint, token, punching.Token);
        try
        {
            return await opened.Task.WaitAsync(PunchWindow, _time, ct);
        }
        catch (TimeoutException)
        {
            throw new IOException($"no hole-punched stream from {endpoint} within {PunchWindow.TotalSeconds:0} s");
        }
        finally
        {
            lock (_awaiting)
            {
                _awaiting.Remove(endpoint.Address);
            }

            _socket.RevokeToken(token);
            await punching.CancelAsync();
            await punches;
        }
    }

    /// <summary>Signed PUNCH datagrams toward the other side every 100 ms for the punch window, or until cancelled.</summary>
    private async Task PunchAsync(IPEndPoint endpoint, byte[] token, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        try
        {
            while (_time.GetElapsedTime(started) < PunchWindow)
            {
                _socket.SendPunch(endpoint, token);
                await Task.Delay(PunchSpacing, _time, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            UdpStreamConnection connection;
            try
            {
                connection = await _socket.AcceptAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            TaskCompletionSource<UdpStreamConnection>? waiter = null;
            if (connection.RemoteEndPoint is IPEndPoint remote)
            {
                lock (_awaiting)
                {
                    _awaiting.Remove(remote.Address, out waiter);
                }
            }

            if (waiter?.TrySetResult(connection) != true && !_inbound.Writer.TryWrite(connection))
            {
                await connection.DisposeAsync(); // nobody reads inbound streams fast enough: refuse this one
            }
        }
    }

    private static (IPEndPoint Endpoint, byte[] Token) Parse(RelayMessage offer)
    {
        if (!IPEndPoint.TryParse(offer.Endpoint ?? "", out var endpoint) || endpoint.Port == 0)
        {
            throw new IOException($"the tracker's punch names no usable endpoint ('{offer.Endpoint}')");
        }

        byte[] token;
        try
        {
            token = Base64Url.DecodeFromChars(offer.PunchToken ?? "");
        }
        catch (FormatException ex)
        {
            throw new IOException("the tracker's punch token is not base64url", ex);
        }

        return token.Length is >= 16 and <= 64 ? (endpoint, token) : throw new IOException("the tracker's punch token has the wrong length");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _socket.DisposeAsync();
        await _acceptLoop;
        await _offerLoop;
        _inbound.Writer.TryComplete();
        while (_inbound.Reader.TryRead(out var pending))
        {
            await pending.DisposeAsync();
        }

        _stop.Dispose();
    }
}
