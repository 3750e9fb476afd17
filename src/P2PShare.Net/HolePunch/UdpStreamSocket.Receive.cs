using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace P2PShare.Net.HolePunch;

/// <summary>The receive loop and the handshake: HELLO creates an inbound stream, HELLO_ACK completes a ConnectAsync.</summary>
public sealed partial class UdpStreamSocket
{
    private const int ReceiveBufferBytes = 64 * 1024;
    private readonly Dictionary<ulong, PendingConnect> _pending = [];
    private readonly UdpGroReceiver? _groReceiver;
    private readonly SocketAddress _from; // the sender of the datagrams being handled (receive loop only)

    /// <summary>Opens a stream to <paramref name="remote"/>, which must accept <paramref name="token"/>; HELLO repeats until answered.</summary>
    public async ValueTask<UdpStreamConnection> ConnectAsync(IPEndPoint remote, ReadOnlyMemory<byte> token, CancellationToken cancellationToken)
    {
        var clientId = RandomId();
        var pending = new PendingConnect(remote, token.ToArray(), RandomId());
        lock (_connections)
        {
            if (_pending.Count + _connections.Count >= _options.MaxConnections)
            {
                throw new IOException($"at most {_options.MaxConnections} hole-punched streams at once");
            }

            _pending[clientId] = pending;
        }

        var hello = new byte[UdpPacket.MinDatagramSize];
        UdpHandshake.WriteHello(hello, clientId, UdpHandshake.KeyId(token.Span), pending.Nonce, token.Span);
        var address = remote.Serialize();
        var deadline = _time.GetTimestamp() + (long)(_options.ConnectTimeout.TotalSeconds * _time.TimestampFrequency);
        try
        {
            while (_time.GetElapsedTime(_time.GetTimestamp(), deadline) > TimeSpan.Zero)
            {
                Send(hello, address);
                try
                {
                    return await pending.Connected.Task.WaitAsync(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
            }

            throw new IOException($"no hole-punch answer from {remote} within {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException)
        {
            // The answer may have come just as the caller gave up (a lost dial race): nobody would own that stream.
            lock (_connections)
            {
                _pending.Remove(clientId);
            }

            if (pending.Connected.Task.IsCompletedSuccessfully)
            {
                await pending.Connected.Task.Result.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
        finally
        {
            lock (_connections)
            {
                _pending.Remove(clientId);
            }
        }
    }

    /// <summary>
    /// A dedicated thread blocked in the receive call: cheaper per datagram than the async path at high rates. The
    /// datagrams of one batch that belong to one stream are handed over together.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs per datagram from the first one: tier-0 code halves the rate
    private void ReceiveLoop()
    {
        var buffer = _groReceiver is null ? new byte[ReceiveBufferBytes] : null;
        while (!_stop.IsCancellationRequested)
        {
            int length;
            int segment;
            ReadOnlySpan<byte> data;
            try
            {
                if (_groReceiver is { } gro)
                {
                    length = gro.Receive(_from, out segment);
                    data = gro.Data(length);
                }
                else
                {
                    length = _socket.ReceiveFrom(buffer, SocketFlags.None, _from);
                    segment = length;
                    data = buffer.AsSpan(0, length);
                }
            }
            catch (SocketException) when (!_stop.IsCancellationRequested)
            {
                continue; // e.g. an ICMP error reported for an earlier send
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            DispatchBatch(data, segment <= 0 ? Math.Max(1, length) : segment);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DispatchBatch(ReadOnlySpan<byte> data, int segment)
    {
        for (var at = 0; at < data.Length; at += segment)
        {
            var datagram = data[at..Math.Min(data.Length, at + segment)];
            try
            {
                if (!UdpPacket.TryReadHeader(datagram, out var type, out var destination))
                {
                    continue;
                }

                if (type != UdpPacket.Data)
                {
                    OnHandshake(datagram, type, destination);
                    continue;
                }

                // The following datagrams for the same stream go with this one, under one hold of its lock.
                var end = at + segment;
                while (end + UdpPacket.HeaderSize <= data.Length && data.Slice(end, UdpPacket.HeaderSize).SequenceEqual(datagram[..UdpPacket.HeaderSize]))
                {
                    end += segment;
                }

                var run = data[at..Math.Min(data.Length, end)];
                at = end - segment;
                UdpStreamConnection? connection;
                lock (_connections)
                {
                    _connections.TryGetValue(destination, out connection);
                }

                if (connection is not null && connection.RemoteAddress.Equals(_from))
                {
                    connection.OnDatagrams(run, segment);
                }
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
            {
                // A datagram this code cannot handle must not end the socket (or the process, on this thread).
            }
        }
    }

    private void OnHandshake(ReadOnlySpan<byte> datagram, byte type, ulong destination)
    {
        switch (type)
        {
            case UdpPacket.Hello when destination == 0:
                OnHello(datagram, _from);
                break;
            case UdpPacket.HelloAck:
                OnHelloAck(datagram, destination, _from);
                break;
        }
    }

    private void OnHello(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (!UdpHandshake.TryReadHello(datagram, out var clientId, out var keyId, out var nonce))
        {
            return;
        }

        byte[]? token;
        lock (_tokens)
        {
            _tokens.TryGetValue(keyId, out token);
        }

        if (token is null || !UdpHandshake.VerifyHello(datagram, token))
        {
            return;
        }

        var serverId = UdpHandshake.ServerIdFor(_secret, clientId, keyId, from);
        lock (_connections)
        {
            if (!_connections.ContainsKey(serverId))
            {
                if (_connections.Count + _pending.Count >= _options.MaxConnections)
                {
                    return;
                }

                var remote = (IPEndPoint)LocalEndPoint.Create(from);
                var connection = new UdpStreamConnection(this, serverId, clientId, remote, _options, _time);
                if (!_accepted.Writer.TryWrite(connection))
                {
                    return; // backlog full: the client's next HELLO tries again
                }

                _connections[serverId] = connection;
                connection.Start();
            }
        }

        Span<byte> ack = stackalloc byte[UdpHandshake.HelloAckSignedSize + UdpPacket.TagSize];
        UdpHandshake.WriteHelloAck(ack, clientId, serverId, nonce, token);
        Send(ack, from);
    }

    private void OnHelloAck(ReadOnlySpan<byte> datagram, ulong clientId, SocketAddress from)
    {
        lock (_connections)
        {
            if (!_pending.TryGetValue(clientId, out var pending)
                || pending.Connected.Task.IsCompleted
                || !pending.Address.Equals(from)
                || !UdpHandshake.TryReadHelloAck(datagram, pending.Token, pending.Nonce, out var serverId))
            {
                return;
            }

            var connection = new UdpStreamConnection(this, clientId, serverId, pending.Remote, _options, _time);
            _connections[clientId] = connection;
            connection.Start();
            pending.Connected.TrySetResult(connection);
        }
    }

    private sealed class PendingConnect(IPEndPoint remote, byte[] token, ulong nonce)
    {
        public IPEndPoint Remote { get; } = remote;

        public SocketAddress Address { get; } = remote.Serialize();

        public byte[] Token { get; } = token;

        public ulong Nonce { get; } = nonce;

        public TaskCompletionSource<UdpStreamConnection> Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
