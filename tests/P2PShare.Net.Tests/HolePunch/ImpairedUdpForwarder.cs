using System.Net;
using System.Net.Sockets;

namespace P2PShare.Net.Tests.HolePunch;

/// <summary>
/// A real UDP relay between two sockets on 127.0.0.1 that drops, duplicates and reorders datagrams with fixed
/// probabilities (seeded, so a failure repeats). The first sender that is not the target becomes the other end.
/// </summary>
internal sealed class ImpairedUdpForwarder : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _target;
    private readonly double _loss;
    private readonly double _duplicate;
    private readonly double _reorder;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private IPEndPoint? _client;
    private (byte[] Data, IPEndPoint To)? _held;

    public ImpairedUdpForwarder(IPEndPoint target, double loss, double duplicate, double reorder, int seed)
    {
        _target = target;
        _loss = loss;
        _duplicate = duplicate;
        _reorder = reorder;
        _random = new Random(seed);
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public long Forwarded { get; private set; }

    public long Dropped { get; private set; }

    public long Duplicated { get; private set; }

    public long Reordered { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var from = (IPEndPoint)result.RemoteEndPoint;
            IPEndPoint to;
            if (from.Equals(_target))
            {
                if (_client is null)
                {
                    continue;
                }

                to = _client;
            }
            else
            {
                _client ??= from;
                to = _target;
            }

            var data = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            if (_random.NextDouble() < _loss)
            {
                Dropped++;
                continue;
            }

            if (_held is null && _random.NextDouble() < _reorder)
            {
                _held = (data, to); // goes out after the next datagram
                Reordered++;
                continue;
            }

            Send(data, to);
            if (_random.NextDouble() < _duplicate)
            {
                Send(data, to);
                Duplicated++;
            }

            if (_held is { } held)
            {
                _held = null;
                Send(held.Data, held.To);
            }
        }
    }

    private void Send(byte[] data, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(data, to);
            Forwarded++;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposal closes the socket under a datagram that was received but not yet forwarded.
        }
    }
}
