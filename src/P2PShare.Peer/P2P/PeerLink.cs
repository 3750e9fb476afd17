using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>
/// One authenticated, encrypted connection to another peer, in either direction. It serves what the remote asks
/// for (see PeerLink.Serving.cs), and passes what the remote says about a file to the download attached for it.
/// A protocol violation or I/O error closes the link; nothing escapes the read loop.
/// </summary>
internal sealed partial class PeerLink : IAsyncDisposable
{
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
    private Task _watchdog = Task.CompletedTask;
    private Task<Task>? _disposal;
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
        _lastWriteProgressTicks = _lastReadTicks;
        _directory.Add(this);
        _readLoop = ReadLoopAsync(_closing.Token);
        _watchdog = WatchdogLoopAsync(_closing.Token);
        StartServing(_closing.Token);
    }

    public void Detach(string fileId) => _listeners.TryRemove(fileId, out _);

    public bool IsInterestedIn(string fileId) => _remoteInterest.ContainsKey(fileId);

    /// <summary>True while some download of ours listens on this link.</summary>
    public bool HasListeners => !_listeners.IsEmpty;

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

    /// <summary>
    /// Awaits a write; a broken connection closes the link rather than escaping to the sender. Writes in progress are
    /// counted so the watchdog (PeerLink.Watchdog.cs) can tell a remote that stopped reading.
    /// </summary>
    private async Task CloseOnFailureAsync(ValueTask sending)
    {
        WriteStarted();
        try
        {
            await sending;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            Close($"send failed: {ex.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _writesInProgress);
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
                await OnBitfieldAsync(b, ct);
                return false;
            case Have h:
                OnHave(h);
                return false;
            case Piece p when _listeners.GetValueOrDefault(p.FileId) is { } listener:
                listener.OnPiece(this, p.Index, new PieceData(frame, p.Data));
                return true;
            case Reject r when OnManifestReject(r):
                return false;
            case Manifest m:
                OnManifestPage(m);
                return false;
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
        StopRevealing();
        foreach (var listener in _listeners.Values)
        {
            listener.OnClosed(this, reason);
        }
    }

    /// <summary>Idempotent: the node disposes a link when it closes, and its owner may dispose it again.</summary>
    public ValueTask DisposeAsync()
    {
        var candidate = new Task<Task>(DisposeOnceAsync);
        var first = Interlocked.CompareExchange(ref _disposal, candidate, null);
        if (first is null)
        {
            candidate.RunSynchronously();
            first = candidate;
        }

        return new ValueTask(first.Unwrap());
    }

    private async Task DisposeOnceAsync()
    {
        Close("closed");
        await _stream.DisposeAsync();
        await Task.WhenAll(_readLoop, _watchdog, ServingCompletion);
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
