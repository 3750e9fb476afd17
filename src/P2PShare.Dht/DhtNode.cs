using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using P2PShare.Dht.Messages;
using P2PShare.Dht.Routing;
using P2PShare.Dht.Storage;

namespace P2PShare.Dht;

/// <summary>
/// A Kademlia DHT node on one UDP socket (docs/features/dht-kademlia.md). It answers ping, find_node, get_peers and
/// announce from other nodes, and runs lookups, announcements and bucket refreshes of its own. Disposing it closes
/// the socket and ends every pending query.
/// </summary>
public sealed partial class DhtNode : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly DhtOptions _options;
    private readonly TimeProvider _time;
    private readonly RoutingTable _routing;
    private readonly HolderStore _store;
    private readonly WriteTokens _tokens;
    private readonly SourceRateLimiter _rateLimiter;
    private readonly ConcurrentDictionary<uint, PendingQuery> _pending = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _receiveLoop;
    private readonly Task _maintenanceLoop;
    private long _sent;
    private long _received;
    private long _dropped;
    private long _lookups;

    private DhtNode(NodeId id, Socket socket, DhtOptions options, TimeProvider time)
    {
        Id = id;
        _socket = socket;
        _options = options;
        _time = time;
        _routing = new RoutingTable(id, options.K, time);
        _store = new HolderStore(options.MaxStoredKeys, options.MaxHoldersPerKey, options.HolderLifetime, time);
        _tokens = new WriteTokens(options.TokenRotation, time);
        _rateLimiter = new SourceRateLimiter(options.QueriesPerSecondPerSource, options.QueriesPerSecond, time);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_lifetime.Token));
        _maintenanceLoop = Task.Run(() => MaintenanceLoopAsync(_lifetime.Token));
    }

    public NodeId Id { get; }

    public IPEndPoint LocalEndPoint { get; }

    public RoutingTable RoutingTable => _routing;

    /// <summary>Binds a UDP socket on <paramref name="bind"/> (port 0 for any) and starts answering.</summary>
    public static DhtNode Start(NodeId id, IPEndPoint bind, DhtOptions? options = null, TimeProvider? time = null)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(bind);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new DhtNode(id, socket, options ?? new DhtOptions(), time ?? TimeProvider.System);
    }

    public DhtStatus Status => new(
        Id.ToString(), LocalEndPoint.Port, _routing.Count, _routing.GoodCount, Interlocked.Read(ref _lookups),
        _store.KeyCount, Interlocked.Read(ref _sent), Interlocked.Read(ref _received), Interlocked.Read(ref _dropped));

    private async Task ReceiveLoopAsync(CancellationToken cancellation)
    {
        var buffer = new byte[DhtLimits.MaxDatagram + 1];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!cancellation.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP error for an earlier send; nothing to do with the next datagram
            }

            Interlocked.Increment(ref _received);
            var source = (IPEndPoint)result.RemoteEndPoint;
            if (result.ReceivedBytes > DhtLimits.MaxDatagram)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            DhtMessage message;
            try
            {
                message = MessageCodec.Decode(buffer.AsSpan(0, result.ReceivedBytes));
            }
            catch (MalformedMessageException)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            if (message.IsQuery)
            {
                await AnswerAsync(message, source, result.ReceivedBytes, cancellation);
            }
            else if (!CompletePending(message, source))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    private async ValueTask SendAsync(DhtMessage message, IPEndPoint destination, int budget, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DhtLimits.MaxDatagram);
        try
        {
            int length = MessageCodec.Encode(message, buffer, budget);
            await _socket.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, destination, cancellation);
            Interlocked.Increment(ref _sent);
        }
        catch (SocketException)
        {
            // Unreachable destination: the query times out like any lost datagram.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        await _lifetime.CancelAsync();
        _socket.Dispose();
        foreach (var pending in _pending.Values)
        {
            pending.Reply.TrySetResult(null);
        }

        try
        {
            await Task.WhenAll(_receiveLoop, _maintenanceLoop);
        }
        catch (OperationCanceledException)
        {
        }

        _lifetime.Dispose();
    }
}
