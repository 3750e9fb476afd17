using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
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
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FileManifest?>> _manifestWaiters = new();
    private Task _serveLoop = Task.CompletedTask;

    /// <summary>Raised when a shared file turned out to have changed on disk while serving it.</summary>
    public event Action<string>? SharedFileChanged;

    private Task ServingCompletion => _serveLoop;

    /// <summary>Asks the remote for a file's manifest; null when it does not have it. The caller validates it.</summary>
    public async Task<FileManifest?> RequestManifestAsync(string fileId, CancellationToken ct)
    {
        var waiter = _manifestWaiters.GetOrAdd(fileId, _ => new TaskCompletionSource<FileManifest?>(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendAsync(w => w.SendManifestRequestAsync(fileId, ct));
        return await waiter.Task.WaitAsync(ct);
    }

    private void StartServing(CancellationToken ct) => _serveLoop = ServeLoopAsync(ct);

    private void EnqueueRequest(string fileId, int index)
    {
        _cancelled.TryRemove((fileId, index), out _);
        if (!_requests.Writer.TryWrite((fileId, index)))
        {
            _ = SendAsync(w => w.SendRejectAsync(fileId, index, RejectReason.Busy, _closing.Token));
        }
    }

    private void EnqueueManifestRequest(string fileId) => EnqueueRequest(fileId, -1);

    private void CancelRequest(string fileId, int index) => _cancelled[(fileId, index)] = 1;

    private void CompleteManifest(string fileId, byte[] json)
    {
        if (!_manifestWaiters.TryRemove(fileId, out var waiter))
        {
            return;
        }

        try
        {
            waiter.TrySetResult(json.Length == 0 ? null : JsonSerializer.Deserialize<FileManifest>(json));
        }
        catch (JsonException)
        {
            waiter.TrySetResult(null);
        }
    }

    private void FailPendingManifests(string reason)
    {
        foreach (var waiter in _manifestWaiters.Values)
        {
            waiter.TrySetException(new IOException($"link closed: {reason}"));
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
                    await ServeManifestAsync(fileId, ct);
                    continue;
                }

                var read = await _holdings.ReadChunkAsync(fileId, index, buffer, ct);
                if (read.Status == ChunkReadStatus.Ok)
                {
                    await SendAsync(w => w.SendPieceAsync(fileId, index, buffer.AsMemory(0, read.Length), ct));
                    continue;
                }

                if (read.Status == ChunkReadStatus.FileChanged && read.ChangedPath is not null)
                {
                    SharedFileChanged?.Invoke(read.ChangedPath);
                }

                await SendAsync(w => w.SendRejectAsync(fileId, index, RejectReason.NotHave, ct));
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

    private async Task ServeManifestAsync(string fileId, CancellationToken ct)
    {
        var manifest = await _holdings.ManifestAsync(fileId, ct);
        byte[] json = manifest is null ? [] : JsonSerializer.SerializeToUtf8Bytes(manifest);
        await SendAsync(w => w.SendManifestAsync(fileId, json, ct));
    }
}
