using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using P2PShare.Core.Chunking;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>The serving half of a link: chunk and manifest-page requests queue here and are answered in order.</summary>
internal sealed partial class PeerLink
{
    /// <summary>Requests a remote may have queued at once; more are rejected rather than buffered without bound.</summary>
    public const int MaxQueuedRequests = 64;

    /// <summary>
    /// Busy rejects that may wait for the writer at once. A remote that keeps requesting while not reading its
    /// replies reaches this quickly and is disconnected; one that reads never gets near it.
    /// </summary>
    public const int MaxPendingRejects = 64;

    private int _pendingRejects;
    private int _unanswered;

    private readonly LocalHoldings _holdings;
    private readonly Channel<ServeRequest> _requests =
        Channel.CreateBounded<ServeRequest>(new BoundedChannelOptions(MaxQueuedRequests) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ConcurrentDictionary<(string, int), byte> _cancelled = new();
    private Task _serveLoop = Task.CompletedTask;

    /// <summary>Raised when a shared file turned out to have changed on disk while serving it.</summary>
    public event Action<string>? SharedFileChanged;

    private Task ServingCompletion => _serveLoop;

    /// <summary>True while a request of the remote's waits for its answer or some reply is still being written.</summary>
    public bool IsServing => Volatile.Read(ref _unanswered) > 0 || Volatile.Read(ref _writesInProgress) > 0;

    private void StartServing(CancellationToken ct) => _serveLoop = ServeLoopAsync(ct);

    private void EnqueueRequest(string fileId, int index, bool manifestPage = false)
    {
        _cancelled.TryRemove((fileId, index), out _);
        Interlocked.Increment(ref _unanswered);
        bool queued = _requests.Writer.TryWrite(new ServeRequest(fileId, index, manifestPage));
        if (!queued)
        {
            Interlocked.Decrement(ref _unanswered);
        }

        if (!queued && !IsClosed)
        {
            if (Interlocked.Increment(ref _pendingRejects) > MaxPendingRejects)
            {
                Close($"remote is not reading: more than {MaxPendingRejects} replies wait to be written");
                return;
            }

            _ = SendBusyAsync(fileId, index);
        }
    }

    private async Task SendBusyAsync(string fileId, int index)
    {
        try
        {
            await SendAsync(new Reject(fileId, index, RejectReason.Busy), _closing.Token);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingRejects);
        }
    }

    /// <summary>Only as many cancel marks as requests can be queued, so a remote cannot grow the set without bound.</summary>
    private void CancelRequest(string fileId, int index)
    {
        if (_cancelled.Count < MaxQueuedRequests)
        {
            _cancelled[(fileId, index)] = 1;
        }
    }

    private void StopServing() => _requests.Writer.TryComplete();

    private async Task ServeLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await ServeAsync(request, ct);
                }
                finally
                {
                    Interlocked.Decrement(ref _unanswered);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            Close($"cannot read local file: {ex.Message}");
        }
    }

    /// <summary>
    /// Reads and sends one chunk. The buffer is rented per chunk, not per link: a node keeps a link to every
    /// neighbour of a swarm, most of them idle at any moment, and a buffer held by each would pin a chunk's worth of
    /// memory per link.
    /// </summary>
    private async Task ServeChunkAsync(ServeRequest request, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkLayout.DefaultChunkSize);
        try
        {
            var read = await _holdings.ReadChunkAsync(request.FileId, request.Index, buffer, ct);
            if (read.Status == ChunkReadStatus.Ok)
            {
                if (RevealBeforeSending(request.FileId, request.Index, read.Length) is { } haves)
                {
                    await SendAsync(haves, ct);
                }

                await SendAsync(new Piece(request.FileId, request.Index, buffer.AsMemory(0, read.Length)), ct);
                return;
            }

            if (read.Status == ChunkReadStatus.FileChanged && read.ChangedPath is not null)
            {
                SharedFileChanged?.Invoke(read.ChangedPath);
            }

            await SendAsync(new Reject(request.FileId, request.Index, RejectReason.NotAvailable), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ServeAsync(ServeRequest request, CancellationToken ct)
    {
        if (_cancelled.TryRemove((request.FileId, request.Index), out _))
        {
            return;
        }

        if (request.ManifestPage)
        {
            await ServeManifestPageAsync(request.FileId, request.Index, ct);
            return;
        }

        await ServeChunkAsync(request, ct);
    }

    private async Task ServeManifestPageAsync(string fileId, int offset, CancellationToken ct)
    {
        byte[]? json = await _holdings.ManifestJsonAsync(fileId, ct);
        if (json is null)
        {
            await SendAsync(new Reject(fileId, offset, RejectReason.UnknownFile), ct);
            return;
        }

        int start = Math.Clamp(offset, 0, json.Length);
        int length = Math.Min(FrameLimits.MaxManifestPage, json.Length - start);
        await SendAsync(new Manifest(fileId, json.Length, start, json.AsMemory(start, length)), ct);
    }

    private readonly record struct ServeRequest(string FileId, int Index, bool ManifestPage);
}
