using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Downloader;

/// <summary>Verified chunks and bytes of one download, and a transfer rate over the last few seconds.</summary>
internal sealed class ProgressMeter(TimeProvider time, int chunks, long bytes)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    private long _windowStart = time.GetTimestamp();
    private long _windowBytes = bytes;
    private double _rate;

    public int Chunks { get; private set; } = chunks;

    public long Bytes { get; private set; } = bytes;

    /// <summary>Call under the download's lock.</summary>
    public void Add(FileManifest manifest, int index)
    {
        Chunks++;
        Bytes += new ChunkLayout(manifest.Size).LengthOf(index);
    }

    /// <summary>Bytes per second over the last window; call under the download's lock.</summary>
    public double Rate()
    {
        var elapsed = time.GetElapsedTime(_windowStart);
        if (elapsed >= Window)
        {
            _rate = (Bytes - _windowBytes) / elapsed.TotalSeconds;
            _windowStart = time.GetTimestamp();
            _windowBytes = Bytes;
        }
        else if (_rate == 0 && elapsed.TotalSeconds > 0.2)
        {
            return (Bytes - _windowBytes) / elapsed.TotalSeconds;
        }

        return _rate;
    }
}
