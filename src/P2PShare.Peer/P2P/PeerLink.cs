using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Peer.Node;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>
/// One authenticated, encrypted connection to another peer, in either direction. It serves what the remote asks
/// for (see PeerLink.Serving.cs), and passes what the remote says about a file to the download attached for it.
/// A protocol violation or I/O error closes the link; nothing escapes the read loop.
/// </summary>
internal sealed partial class PeerLink : IAsyncDisposable
{
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);

    private readonly SecureStream _stream;
    private readonly WireChannel _wire;
    private readonly LinkDirectory _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ILinkListener> _listeners = new();
    private readonly ConcurrentDictionary<string, byte> _sentBitfield = new();
    private readonly ConcurrentDictionary<string, byte> _remoteInterest = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private long _lastReadTicks;

    public PeerLink(SecureStream stream, WireChannel wire, LocalHoldings holdings, LinkDirectory directory, ConnectionStats stats, TimeProvider time, ILogger logger)
    {
        _stream = stream;
        _wire = wire;
        _holdings = holdings;
        _directory = directory;
        _time = time;
        _logger = logger;
        Stats = stats;
        RemotePeerId = stream.RemotePeerId;
        stats.PeerId = RemotePeerId;
    }

    public string RemotePeerId { get; }

    public ConnectionStats Stats { get; }

    /// <summary>Completes with the reason once the link is closed.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    public void Start()
    {
        _lastReadTicks = _time.GetTimestamp();
        _directory.Add(this);
        _readLoop = ReadLoopAsync(_closing.Token);
        _keepAlive = KeepAliveLoopAsync(_closing.Token);
        StartServing(_closing.Token);
    }

    /// <summary>Routes messages about <paramref name="fileId"/> to <paramref name="listener"/>.</summary>
    public void Attach(string fileId, ILinkListener listener) => _listeners[fileId] = listener;

    public void Detach(string fileId) => _listeners.TryRemove(fileId, out _);

    public bool IsInterestedIn(string fileId) => _remoteInterest.ContainsKey(fileId);

    /// <summary>Tells the remote what we hold of a file (and that we want it); sent once per file.</summary>
    public Task SendBitfieldAsync(string fileId, ChunkBitmap bitfield, CancellationToken ct)
    {
        _sentBitfield[fileId] = 1;
        return SendAsync(ToMessage(fileId, bitfield), ct);
    }

    public Task SendCancelAsync(string fileId, int index) => SendAsync(new Cancel(fileId, index), _closing.Token);

    private static Bitfield ToMessage(string fileId, ChunkBitmap bitmap) => new(fileId, bitmap.Count, bitmap.ToBytes());

    private Task SendAsync(PeerMessage message, CancellationToken ct) =>
        IsClosed ? Task.CompletedTask : CloseOnFailureAsync(_wire.SendAsync(message, ct));

    /// <summary>Small frames in one write (see <see cref="WireChannel.SendSmallAsync"/>).</summary>
    private Task SendAsync(IReadOnlyList<PeerMessage> messages, CancellationToken ct) =>
        IsClosed ? Task.CompletedTask : CloseOnFailureAsync(_wire.SendSmallAsync(messages, ct));

    /// <summary>Awaits a write; a broken connection closes the link rather than escaping to the sender.</summary>
    private async Task CloseOnFailureAsync(ValueTask sending)
    {
        try
        {
            await sending;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            Close($"send failed: {ex.Message}");
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        string reason = "closed by remote";
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var frame = await _wire.ReadAsync(ct);
                Interlocked.Exchange(ref _lastReadTicks, _time.GetTimestamp());
                if (frame.Status != FrameReadStatus.Message)
                {
                    reason = frame.Status == FrameReadStatus.EndOfStream ? "closed by remote" : frame.Reason ?? "transport failed";
                    if (frame.Status == FrameReadStatus.Malformed)
                    {
                        Log.ProtocolViolation(_logger, RemotePeerId, reason);
                        await _wire.TrySendErrorAsync(ErrorCode.MalformedFrame, reason);
                    }

                    break;
                }

                if (!await DispatchAsync(frame, ct))
                {
                    frame.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            reason = "closed";
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            reason = ex.Message;
        }

        Close(reason);
    }

    /// <summary>Handles one message; returns true when it took ownership of the frame's buffer (a Piece).</summary>
    private async Task<bool> DispatchAsync(FrameReadResult frame, CancellationToken ct)
    {
        switch (frame.Message)
        {
            case Bitfield b:
                _remoteInterest[b.FileId] = 1;
                if (ChunkBitmap.FromBytes(b.Bits.Span, b.ChunkCount) is not { } bits)
                {
                    Close("malformed bitfield");
                    return false;
                }

                _listeners.GetValueOrDefault(b.FileId)?.OnBitfield(this, bits);
                if (_sentBitfield.TryAdd(b.FileId, 1))
                {
                    await SendAsync(ToMessage(b.FileId, _holdings.Bitfield(b.FileId) ?? new ChunkBitmap(b.ChunkCount)), ct);
                }

                return false;
            case Have h:
                _listeners.GetValueOrDefault(h.FileId)?.OnHave(this, h.Index);
                return false;
            case Piece p when _listeners.GetValueOrDefault(p.FileId) is { } listener:
                listener.OnPiece(this, p.Index, new PieceData(frame, p.Data));
                return true;
            case Reject r:
                _listeners.GetValueOrDefault(r.FileId)?.OnReject(this, r.Index, r.Reason);
                return false;
            case Request r:
                EnqueueRequest(r.FileId, r.Index);
                return false;
            case Cancel c:
                CancelRequest(c.FileId, c.Index);
                return false;
            case ManifestRequest m:
                EnqueueRequest(m.FileId, m.Offset, manifestPage: true);
                return false;
            case Error e:
                Close($"remote error {e.Code}: {e.Message}");
                return false;
            default:
                return false;
        }
    }

    private async Task KeepAliveLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(KeepAliveInterval, _time, ct);
                if (_time.GetElapsedTime(Interlocked.Read(ref _lastReadTicks)) > IdleTimeout)
                {
                    Close("idle timeout");
                    return;
                }

                await SendAsync(KeepAlive.Instance, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Close(string reason)
    {
        if (!_closed.TrySetResult(reason))
        {
            return;
        }

        Log.LinkClosed(_logger, RemotePeerId, reason);
        _closing.Cancel();
        _directory.Remove(this);
        StopServing();
        foreach (var listener in _listeners.Values)
        {
            listener.OnClosed(this, reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close("closed");
        await _stream.DisposeAsync();
        await Task.WhenAll(_readLoop, _keepAlive, ServingCompletion);
        await _wire.DisposeAsync();
        _closing.Dispose();
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is IOException or SecureChannelException or ObjectDisposedException or System.Net.Sockets.SocketException or OperationCanceledException;

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "link to {PeerId} closed: {Reason}")]
        public static partial void LinkClosed(ILogger logger, string peerId, string reason);

        [LoggerMessage(21, LogLevel.Warning, "peer {PeerId} broke the protocol: {Reason}")]
        public static partial void ProtocolViolation(ILogger logger, string peerId, string reason);
    }
}
