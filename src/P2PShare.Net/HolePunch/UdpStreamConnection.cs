using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Transport;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// One reliable, ordered, congestion-controlled byte stream to a peer over a shared UDP socket (docs/protocol.md,
/// "Hole-punched stream"). Loss recovery and congestion control follow RFC 9002. Failures surface as IOException.
/// </summary>
public sealed partial class UdpStreamConnection : IPeerConnection
{
    /// <summary>What each side may send before the peer's first MAX_DATA arrives.</summary>
    internal const int InitialMaxData = 256 * 1024;

    private const long MaxAckDelayUs = 5_000;
    private const int AckEveryPackets = 64;
    private const int PacketThreshold = 3;
    private const int MaxPacketsInFlight = 16_384;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly object _lock = new();
    private readonly UdpStreamSocket _socket;
    private readonly UdpStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly double _usPerTick;
    private readonly CancellationTokenSource _stop = new();
    private readonly AsyncSignal _wakeSender = new();
    private readonly AsyncSignal _readable = new();
    private readonly AsyncSignal _writable = new();
    private readonly AsyncSignal _flushed = new();
    private Task _sender = Task.CompletedTask;
    private long _lastReceiveUs;
    private IOException? _failure;
    private bool _disposed;

    internal UdpStreamConnection(UdpStreamSocket socket, ulong localId, ulong remoteId, IPEndPoint remote, UdpStreamOptions options, TimeProvider time)
    {
        _socket = socket;
        LocalId = localId;
        RemoteId = remoteId;
        Remote = remote;
        RemoteAddress = remote.Serialize();
        _options = options;
        _time = time;
        _usPerTick = 1_000_000.0 / time.TimestampFrequency;
        _sendBuffer = new ChunkedByteRing(options.SendBufferBytes);
        _receiveBuffer = new ChunkedByteRing(options.ReceiveWindowBytes);
        _sent = new SentPacketQueue(MaxPacketsInFlight);
        _retransmit = new RangeSet(MaxPacketsInFlight + 16);
        _streamAcked = new RangeSet(MaxPacketsInFlight + 16);
        _received = new RangeSet(MaxPacketsInFlight + 16);
        _cc = new NewRenoController(UdpPacket.MinDatagramSize, 64L * 1024 * 1024);
        Stream = new UdpStream(this);
    }

    public Stream Stream { get; }

    public EndPoint? RemoteEndPoint => Remote;

    public ConnectionKind Kind => ConnectionKind.HolePunch;

    /// <summary>The smoothed round-trip time so far.</summary>
    public TimeSpan SmoothedRtt
    {
        get
        {
            lock (_lock)
            {
                return TimeSpan.FromMicroseconds(_rtt.SmoothedUs);
            }
        }
    }

    /// <summary>The largest UDP payload this stream sends (1200 until a larger probe is acknowledged).</summary>
    public int DatagramSize
    {
        get
        {
            lock (_lock)
            {
                return _datagramSize;
            }
        }
    }

    /// <summary>Received bytes the application has not read yet (bounded by the receive window).</summary>
    internal long BytesBuffered
    {
        get
        {
            lock (_lock)
            {
                return _received.IsEmpty ? 0 : _received.Last.End - _readOffset;
            }
        }
    }

    /// <summary>Written bytes the peer has not acknowledged yet (bounded by the send buffer).</summary>
    internal long BytesUnacknowledged
    {
        get
        {
            lock (_lock)
            {
                return _writeEnd - _sendBuffer.Base;
            }
        }
    }

    internal ulong LocalId { get; }

    internal ulong RemoteId { get; }

    internal IPEndPoint Remote { get; }

    internal SocketAddress RemoteAddress { get; }

    internal void Start()
    {
        lock (_lock)
        {
            _lastReceiveUs = NowUs();
            _maxDataDue = _options.ReceiveWindowBytes > InitialMaxData;
        }

        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>Closes gracefully: the bytes written so far are delivered (up to the close timeout), then CLOSE.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_failure is null)
            {
                _finRequested = true;
                _finPending = true;
            }
        }

        _wakeSender.Set();
        await WaitFlushedAsync().ConfigureAwait(false);
        SendClose();
        Fail(new IOException("the stream is closed"));
        await _sender.ConfigureAwait(false);
        lock (_lock)
        {
            _sendBuffer.Dispose();
            _receiveBuffer.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>Waits until the peer has acknowledged everything and the FIN, or until no progress for the close timeout.</summary>
    private async Task WaitFlushedAsync()
    {
        var timeout = (long)(_options.CloseTimeout.TotalSeconds * _time.TimestampFrequency);
        var deadline = _time.GetTimestamp() + timeout;
        var acknowledged = -1L;
        while (true)
        {
            lock (_lock)
            {
                if (_failure is not null || (_finAcked && _sendBuffer.Base == _writeEnd))
                {
                    return;
                }

                if (_sendBuffer.Base != acknowledged)
                {
                    acknowledged = _sendBuffer.Base; // progress: a slow, lossy path gets more time, a silent one does not
                    deadline = _time.GetTimestamp() + timeout;
                }
            }

            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            // Woken at the end by the final acknowledgement; progress before that is checked a few times a second.
            await _flushed.WaitAsync(left < PollInterval ? left : PollInterval, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the stream with <paramref name="error"/>: waiters wake, the sender stops, the socket forgets it.</summary>
    internal void Fail(IOException error)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = error;
            _cc.OnDiscarded((int)Math.Min(int.MaxValue, _cc.BytesInFlight));
            _sent.Clear();
        }

        _socket.Forget(this);
        _stop.Cancel();
        _readable.Set();
        _writable.Set();
        _flushed.Set();
        _wakeSender.Set();
    }

    private long NowUs() => (long)(_time.GetTimestamp() * _usPerTick);

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new IOException(_failure.Message, _failure);
        }
    }
}
