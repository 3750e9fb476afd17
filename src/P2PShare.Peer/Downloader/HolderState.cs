using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Downloader;

/// <summary>What one download knows about one holder: its chunks, our requests to it, its pace, its bad chunks.</summary>
internal sealed class HolderState(PeerLink link, TimeProvider time)
{
    public PeerLink Link { get; } = link;

    /// <summary>Null until the holder's Bitfield arrives.</summary>
    public ChunkBitmap? Chunks { get; set; }

    /// <summary>Chunk index → when it was requested (TimeProvider timestamp).</summary>
    public Dictionary<int, long> InFlight { get; } = [];

    public RequestPacing Pacing { get; } = new(time);

    public int BadChunks { get; set; }

    /// <summary>The peer moved to a better link: nothing more is asked here, and the holder goes once its requests are answered.</summary>
    public bool Draining { get; set; }

    /// <summary>True when this holder must not be asked for <paramref name="index"/> now (asked already, or backing off).</summary>
    public bool Skips(int index) => InFlight.ContainsKey(index) || Pacing.IsBackingOff(index);
}
