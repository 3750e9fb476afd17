using P2PShare.Core.Protocol;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>The per-holder half of a download: bitfields, the request pipeline, arriving chunks, bad holders.</summary>
internal sealed partial class FileDownload : ILinkListener
{
    /// <summary>How long a holder that answered Busy is not asked for that chunk again.</summary>
    private static readonly TimeSpan BusyBackOff = TimeSpan.FromSeconds(1);

    private int HolderCount
    {
        get
        {
            lock (_gate)
            {
                return _holders.Count;
            }
        }
    }

    private async Task AddHolderAsync(PeerLink link, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_holders.TryAdd(link, new HolderState(link, _ctx.Time)))
            {
                return; // already a holder (a moved link and a new dial can both arrive here)
            }
        }

        link.Attach(FileId, this);
        if (link.IsClosed)
        {
            OnClosed(link, "closed"); // closed before the attach: no close notice will come
            return;
        }

        ChunkBitmap mine;
        lock (_gate)
        {
            mine = _picker.HaveSnapshot();
        }

        await link.SendBitfieldAsync(FileId, mine, ct);
    }

    public void OnBitfield(PeerLink link, ChunkBitmap bitfield)
    {
        lock (_gate)
        {
            if (!_holders.TryGetValue(link, out var holder) || holder.Chunks is not null || bitfield.Count != Manifest.ChunkCount)
            {
                return;
            }

            holder.Chunks = bitfield;
            _picker.AddHolder(bitfield);
            FillPipeline(holder);
        }
    }

    public void OnHave(PeerLink link, int index)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(link, out var holder) && holder.Chunks is { } chunks && (uint)index < (uint)chunks.Count && chunks.Set(index))
            {
                _picker.AddHave(index);
                FillPipeline(holder);
            }
        }
    }

    public void OnReject(PeerLink link, int index, RejectReason reason)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(link, out var holder) && holder.InFlight.Remove(index))
            {
                if (reason == RejectReason.Busy)
                {
                    holder.Pacing.BackOff(index, BusyBackOff); // it may come from another holder meanwhile
                }
                else if (holder.Chunks!.Unset(index))
                {
                    _picker.RemoveHave(index); // not there: ask this holder again only after it announces it (Have)
                }

                _picker.Release(index);
                FillPipeline(holder);
                RemoveIfDrained(holder);
            }
        }
    }

    public void OnPiece(PeerLink link, int index, PieceData data)
    {
        lock (_gate)
        {
            if (!_holders.TryGetValue(link, out var holder) || !holder.InFlight.Remove(index))
            {
                data.Dispose();
                return;
            }

            _pendingWrites++;
            _picker.Arrived(index);
            _bytesByPeer[link.RemotePeerId] = _bytesByPeer.GetValueOrDefault(link.RemotePeerId) + data.Length;
            holder.Pacing.Received(data.Length);

            // Ask for the next chunk now, not after the disk has this one: the network and the disk overlap.
            FillPipeline(holder);
            RemoveIfDrained(holder);
        }

        // Hashing and writing happen on the thread pool: the link's read loop goes straight back to the socket.
        _ = Task.Run(() => WriteAsync(link, index, data));
    }

    public void OnClosed(PeerLink link, string reason)
    {
        lock (_gate)
        {
            if (!_holders.Remove(link, out var holder))
            {
                return;
            }

            foreach (int index in holder.InFlight.Keys)
            {
                _picker.Release(index);
            }

            if (holder.Chunks is not null)
            {
                _picker.RemoveHolder(holder.Chunks);
            }

            FillAllPipelines();
        }
    }

    private async Task WriteAsync(PeerLink link, int index, PieceData data)
    {
        ChunkWriteResult result;
        try
        {
            result = await _target.WriteChunkAsync(index, data.Memory, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            data.Dispose();
            lock (_gate)
            {
                _pendingWrites--;
                FillAllPipelines();
            }
        }

        switch (result.Status)
        {
            case ChunkWriteStatus.Written:
                OnVerified(index);
                break;
            case ChunkWriteStatus.HashMismatch:
                OnBadChunk(link, index, result.Error);
                break;
            case ChunkWriteStatus.Failed:
                _diskError = result.Error;
                _allVerified.TrySetResult();
                break;
        }
    }

    private void OnVerified(int index)
    {
        lock (_gate)
        {
            if (!_picker.MarkHave(index))
            {
                return;
            }

            _progress.Add(Manifest, index);
            foreach (var holder in _holders.Values)
            {
                if (holder.InFlight.Remove(index))
                {
                    _ = holder.Link.SendCancelAsync(FileId, index);
                    FillPipeline(holder);
                }
            }

            if (_picker.IsComplete)
            {
                _allVerified.TrySetResult();
            }
        }

        _ctx.Directory.BroadcastHave(FileId, index);
    }

    private void OnBadChunk(PeerLink link, int index, string? error)
    {
        bool drop;
        lock (_gate)
        {
            _picker.Discard(index);
            if (!_holders.TryGetValue(link, out var holder))
            {
                return;
            }

            holder.BadChunks++;
            drop = holder.BadChunks >= _ctx.Options.MaxBadChunks;
            if (drop)
            {
                _banned.Add(link.RemotePeerId);
            }

            FillAllPipelines();
        }

        if (drop)
        {
            Log.DroppedHolder(_ctx.Logger, link.RemotePeerId, $"sent {_ctx.Options.MaxBadChunks} chunks that failed verification ({error})");
            link.Detach(FileId);
            OnClosed(link, "bad chunks");
            _ = link.DisposeAsync().AsTask();
        }
    }

    /// <summary>
    /// Keeps up to <see cref="DownloadOptions.PipelineDepth"/> requests in flight to this holder (fewer for a slow one,
    /// <see cref="RequestPacing.Depth"/>) while fewer than
    /// <see cref="DownloadOptions.MaxPendingWrites"/> received chunks wait for the disk, which bounds memory. Call under the lock.
    /// </summary>
    private void FillPipeline(HolderState holder)
    {
        if (holder.Chunks is null || holder.Link.IsClosed || holder.Draining)
        {
            return;
        }

        List<int>? picked = null;
        while (holder.InFlight.Count < holder.Pacing.Depth(_ctx.Options.PipelineDepth) && _pendingWrites < _ctx.Options.MaxPendingWrites && _picker.TryPick(holder.Chunks, holder.Skips, out int index))
        {
            holder.InFlight[index] = _ctx.Time.GetTimestamp();
            (picked ??= []).Add(index);
        }

        if (picked is not null)
        {
            _ = holder.Link.SendRequestsAsync(FileId, picked);
        }
    }

    private void FillAllPipelines()
    {
        foreach (var holder in _holders.Values.ToList())
        {
            FillPipeline(holder);
            RemoveIfDrained(holder);
        }
    }

    private void CloseStalledHolders()
    {
        List<PeerLink> stalled;
        lock (_gate)
        {
            stalled = _holders.Values
                .Where(h => h.InFlight.Count > 0 && h.InFlight.Values.Min() is long oldest && _ctx.Time.GetElapsedTime(oldest) > _ctx.Options.RequestTimeout)
                .Select(h => h.Link)
                .ToList();
        }

        foreach (var link in stalled)
        {
            Log.DroppedHolder(_ctx.Logger, link.RemotePeerId, $"no answer for {_ctx.Options.RequestTimeout.TotalSeconds:0} s");
            HolderFailed(link.RemotePeerId, "stalled");
            link.Close("stalled");
        }
    }

    /// <summary>A holder that could not be reached or stalled is dialled again only after a back-off, and banned in the end.</summary>
    private void HolderFailed(string peerId, string what)
    {
        bool banned;
        lock (_gate)
        {
            banned = _backOff.Failed(peerId);
        }

        if (banned)
        {
            Log.DroppedHolder(_ctx.Logger, peerId, $"{what} {HolderBackOff.MaxFailures} times; not dialled again for this download");
        }
    }
}
