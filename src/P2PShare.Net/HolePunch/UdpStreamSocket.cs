using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// One UDP socket carrying many <see cref="UdpStreamConnection"/>s, told apart by connection ID. Inbound streams are
/// accepted only for HELLOs signed with a token registered through <see cref="AllowToken"/>; everything else is
/// dropped after a lookup (and, for HELLO, one HMAC).
/// </summary>
public sealed partial class UdpStreamSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly UdpStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<ulong, UdpStreamConnection> _connections = [];
    private readonly Dictionary<ulong, byte[]> _tokens = [];
    private readonly Channel<UdpStreamConnection> _accepted;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _receiver;
    private int _disposed;

    private UdpStreamSocket(Socket socket, UdpStreamOptions options, TimeProvider time)
    {
        _socket = socket;
        _options = options;
        _time = time;
        _segmentSize = options.UseSegmentationOffload ? TryEnableSegmentation(socket, UdpPacket.MaxDatagramSize) : 0;
        _groReceiver = options.UseSegmentationOffload ? UdpGroReceiver.TryCreate(socket, ReceiveBufferBytes) : null;
        _from = new SocketAddress(socket.LocalEndPoint!.AddressFamily);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _accepted = Channel.CreateBounded<UdpStreamConnection>(new BoundedChannelOptions(options.AcceptBacklog) { FullMode = BoundedChannelFullMode.Wait });
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "udp-stream receive" };
        _receiver.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds a UDP socket (<paramref name="local"/> port 0 picks a free port) and starts receiving.</summary>
    public static UdpStreamSocket Bind(IPEndPoint local, UdpStreamOptions? options = null, TimeProvider? time = null)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            SetBufferSizes(socket, 4 * 1024 * 1024);
            if (local.AddressFamily == AddressFamily.InterNetwork)
            {
                socket.DontFragment = true; // a too-large MTU probe must be lost, not fragmented
            }

            socket.Bind(local);
            return new UdpStreamSocket(socket, options ?? new UdpStreamOptions(), time ?? TimeProvider.System);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Accepts HELLOs signed with <paramref name="token"/> from now on (at most MaxTokens at once).</summary>
    public void AllowToken(ReadOnlySpan<byte> token)
    {
        var keyId = UdpHandshake.KeyId(token);
        lock (_tokens)
        {
            if (!_tokens.ContainsKey(keyId) && _tokens.Count >= _options.MaxTokens)
            {
                throw new InvalidOperationException($"at most {_options.MaxTokens} hole-punch tokens are accepted at once");
            }

            _tokens[keyId] = token.ToArray();
        }
    }

    public void RevokeToken(ReadOnlySpan<byte> token)
    {
        lock (_tokens)
        {
            _tokens.Remove(UdpHandshake.KeyId(token));
        }
    }

    /// <summary>Sends one signed PUNCH datagram to <paramref name="remote"/>, opening this side's NAT mapping toward it.</summary>
    public void SendPunch(IPEndPoint remote, ReadOnlySpan<byte> token)
    {
        Span<byte> packet = stackalloc byte[UdpHandshake.PunchSignedSize + UdpPacket.TagSize];
        var length = UdpHandshake.WritePunch(packet, UdpHandshake.KeyId(token), RandomId(), token);
        Send(packet[..length], remote.Serialize());
    }

    /// <summary>Waits for the next inbound stream.</summary>
    public async ValueTask<UdpStreamConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException(nameof(UdpStreamSocket), ex);
        }
    }

    public int ConnectionCount
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    internal void Forget(UdpStreamConnection connection)
    {
        lock (_connections)
        {
            if (_connections.TryGetValue(connection.LocalId, out var known) && known == connection)
            {
                _connections.Remove(connection.LocalId);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _accepted.Writer.TryComplete();
        UdpStreamConnection[] open;
        lock (_connections)
        {
            open = [.. _connections.Values];
        }

        foreach (var connection in open)
        {
            connection.Fail(new IOException("the UDP socket was closed"));
        }

        while (_accepted.Reader.TryRead(out var pending))
        {
            await pending.DisposeAsync().ConfigureAwait(false);
        }

        _socket.Dispose();
        _receiver.Join();
        _stop.Dispose();
    }

    private static ulong RandomId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes) | 1;
    }
}
