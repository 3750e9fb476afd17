using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Downloader;

/// <summary>Verified chunks and bytes of one download, and a transfer rate over the last few seconds.</summary>
internal sealed class ProgressMeter(TimeProvider time, int chunks, long bytes)
{
    private readonly RateMeter _rate = new(time, TimeSpan.FromSeconds(3));

    public int Chunks { get; private set; } = chunks;

    public long Bytes { get; private set; } = bytes;

    /// <summary>Call under the download's lock.</summary>
    public void Add(FileManifest manifest, int index)
    {
        int length = new ChunkLayout(manifest.Size).LengthOf(index);
        Chunks++;
        Bytes += length;
        _rate.Add(length);
    }

    /// <summary>
    /// Bytes per second over the last 3 s window; while that is unknown or zero, the rate so far in the current
    /// window (once it is 0.2 s old). Call under the download's lock.
    /// </summary>
    public double Rate()
    {
        double last = _rate.LastWindow ?? 0;
        return last == 0 && _rate.CurrentElapsed.TotalSeconds > 0.2 ? _rate.Current : last;
    }
}
