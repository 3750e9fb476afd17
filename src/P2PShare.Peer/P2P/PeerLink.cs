using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
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
        return SendAsync(w => w.SendBitfieldAsync(fileId, bitfield, ct));
    }

    public Task SendHaveAsync(string fileId, int index) => SendAsync(w => w.SendHaveAsync(fileId, index, _closing.Token));

    public Task SendRequestAsync(string fileId, int index) => SendAsync(w => w.SendRequestAsync(fileId, index, _closing.Token));

    public Task SendCancelAsync(string fileId, int index) => SendAsync(w => w.SendCancelAsync(fileId, index, _closing.Token));

    private async Task SendAsync(Func<WireChannel, ValueTask> send)
    {
        if (IsClosed)
        {
            return;
        }

        try
        {
            await send(_wire);
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
                _lastReadTicks = _time.GetTimestamp();
                if (frame.EndOfStream)
                {
                    break;
                }

                if (frame.Error is not null)
                {
                    reason = $"protocol error: {frame.Error}";
                    Log.ProtocolViolation(_logger, RemotePeerId, frame.Error);
                    await _wire.TrySendErrorAsync(frame.Error, CancellationToken.None);
                    break;
                }

                await DispatchAsync(frame, ct);
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

    private async Task DispatchAsync(WireFrame frame, CancellationToken ct)
    {
        ILinkListener? listener = frame.FileId is null ? null : _listeners.GetValueOrDefault(frame.FileId);
        switch (frame.Kind)
        {
            case WireFrameKind.Bitfield:
                _remoteInterest[frame.FileId!] = 1;
                listener?.OnBitfield(this, frame.Bitfield!);
                if (_sentBitfield.TryAdd(frame.FileId!, 1))
                {
                    var mine = _holdings.Bitfield(frame.FileId!) ?? new ChunkBitmap(frame.Bitfield!.Count);
                    await _wire.SendBitfieldAsync(frame.FileId!, mine, ct);
                }

                break;
            case WireFrameKind.Have:
                listener?.OnHave(this, frame.Index);
                break;
            case WireFrameKind.Piece:
                if (listener is null)
                {
                    frame.Piece!.Dispose();
                }
                else
                {
                    listener.OnPiece(this, frame.Index, frame.Piece!);
                }

                break;
            case WireFrameKind.Reject:
                listener?.OnReject(this, frame.Index);
                break;
            case WireFrameKind.Request:
                EnqueueRequest(frame.FileId!, frame.Index);
                break;
            case WireFrameKind.Cancel:
                CancelRequest(frame.FileId!, frame.Index);
                break;
            case WireFrameKind.ManifestRequest:
                EnqueueManifestRequest(frame.FileId!);
                break;
            case WireFrameKind.Manifest:
                CompleteManifest(frame.FileId!, frame.ManifestJson!);
                break;
            case WireFrameKind.Error:
                Close($"remote error: {frame.ErrorMessage}");
                break;
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

                await SendAsync(w => w.SendKeepAliveAsync(ct));
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
        FailPendingManifests(reason);
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
