using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Downloader;

/// <summary>
/// A holder reached through the relay that gets a direct or punched link (ConnectionManager.LinkUpgraded): the new
/// link becomes a holder of its own (our Bitfield, its Bitfield), the relayed one is asked nothing more and leaves
/// once its requests are answered. A chunk is never in flight on both: the picker hands out each missing chunk once,
/// and a relayed link that closes before it drained gives its requests back to be asked on the new one.
/// </summary>
internal sealed partial class FileDownload
{
    private void OnLinkUpgraded(PeerLink relayed, PeerLink better)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested || !_holders.TryGetValue(relayed, out var old) || old.Draining)
            {
                return;
            }

            old.Draining = true;
            RemoveIfDrained(old);
        }

        _ = MoveToAsync(better);
    }

    private async Task MoveToAsync(PeerLink better)
    {
        try
        {
            await AddHolderAsync(better, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>A draining holder with nothing in flight leaves: its chunks no longer count, its link no longer calls us. Call under the lock.</summary>
    private void RemoveIfDrained(HolderState holder)
    {
        if (!holder.Draining || holder.InFlight.Count > 0 || !_holders.Remove(holder.Link))
        {
            return;
        }

        if (holder.Chunks is not null)
        {
            _picker.RemoveHolder(holder.Chunks);
        }

        holder.Link.Detach(FileId);
    }
}
