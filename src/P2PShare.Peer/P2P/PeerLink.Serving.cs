using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>The serving half of a link: chunk and manifest requests queue here and are answered in order.</summary>
internal sealed partial class PeerLink
{
    /// <summary>Requests a remote may have queued at once; more are rejected rather than buffered without bound.</summary>
    public const int MaxQueuedRequests = 64;

    private readonly LocalHoldings _holdings;
    private readonly Channel<(string FileId, int Index)> _requests =
        Channel.CreateBounded<(string, int)>(new BoundedChannelOptions(MaxQueuedRequests) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ConcurrentDictionary<(string, int), byte> _cancelled = new();
    private readonly ConcurrentDictionary<string, ManifestDownload> _manifestWaiters = new();
    private Task _serveLoop = Task.CompletedTask;

    /// <summary>Raised when a shared file turned out to have changed on disk while serving it.</summary>
    public event Action<string>? SharedFileChanged;

    private Task ServingCompletion => _serveLoop;

    /// <summary>Asks the remote for a file's manifest, page by page; null when it does not have it. The caller validates it.</summary>
    public async Task<FileManifest?> RequestManifestAsync(string fileId, CancellationToken ct)
    {
        var download = _manifestWaiters.GetOrAdd(fileId, _ => new ManifestDownload());
        await SendAsync(new ManifestRequest(fileId, 0), ct);
        byte[]? json = await download.Completion.Task.WaitAsync(ct);
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<FileManifest>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void StartServing(CancellationToken ct) => _serveLoop = ServeLoopAsync(ct);

    private void EnqueueRequest(string fileId, int index)
    {
        _cancelled.TryRemove((fileId, index), out _);
        if (index < 0 || !_requests.Writer.TryWrite((fileId, index)))
        {
            _ = SendAsync(new Reject(fileId, index, RejectReason.Busy), _closing.Token);
        }
    }

    /// <summary>Manifest pages share the queue; their offsets are stored as negative indexes below -1.</summary>
    private void EnqueueManifestRequest(string fileId, int offset)
    {
        if (!_requests.Writer.TryWrite((fileId, -2 - offset)))
        {
            _ = SendAsync(new Reject(fileId, offset, RejectReason.Busy), _closing.Token);
        }
    }

    private void CancelRequest(string fileId, int index) => _cancelled[(fileId, index)] = 1;

    private void AddManifestPage(Manifest page)
    {
        if (!_manifestWaiters.TryGetValue(page.FileId, out var download))
        {
            return;
        }

        if (download.Add(page) is int next)
        {
            _ = SendAsync(new ManifestRequest(page.FileId, next), _closing.Token);
        }
        else if (download.Completion.Task.IsCompleted)
        {
            _manifestWaiters.TryRemove(page.FileId, out _);
        }
    }

    private void FailManifest(string fileId, string reason)
    {
        if (_manifestWaiters.TryRemove(fileId, out var download))
        {
            download.Completion.TrySetResult(null);
        }
    }

    private void FailPendingManifests(string reason)
    {
        foreach (var download in _manifestWaiters.Values)
        {
            download.Completion.TrySetException(new IOException($"link closed: {reason}"));
        }

        _requests.Writer.TryComplete();
    }

    private async Task ServeLoopAsync(CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkLayout.DefaultChunkSize);
        try
        {
            await foreach (var (fileId, index) in _requests.Reader.ReadAllAsync(ct))
            {
                if (_cancelled.TryRemove((fileId, index), out _))
                {
                    continue;
                }

                if (index < 0)
                {
                    await ServeManifestPageAsync(fileId, -2 - index, ct);
                    continue;
                }

                var read = await _holdings.ReadChunkAsync(fileId, index, buffer, ct);
                if (read.Status == ChunkReadStatus.Ok)
                {
                    await SendAsync(new Piece(fileId, index, buffer.AsMemory(0, read.Length)), ct);
                    continue;
                }

                if (read.Status == ChunkReadStatus.FileChanged && read.ChangedPath is not null)
                {
                    SharedFileChanged?.Invoke(read.ChangedPath);
                }

                await SendAsync(new Reject(fileId, index, RejectReason.NotAvailable), ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            Close($"cannot read local file: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ServeManifestPageAsync(string fileId, int offset, CancellationToken ct)
    {
        var manifest = await _holdings.ManifestAsync(fileId, ct);
        if (manifest is null)
        {
            await SendAsync(new Reject(fileId, offset, RejectReason.UnknownFile), ct);
            return;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(manifest);
        int start = Math.Clamp(offset, 0, json.Length);
        int length = Math.Min(FrameLimits.MaxManifestPage, json.Length - start);
        await SendAsync(new Manifest(fileId, json.Length, start, json.AsMemory(start, length)), ct);
    }
}
