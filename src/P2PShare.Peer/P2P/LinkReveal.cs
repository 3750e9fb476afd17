using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>
/// One link's view of a whole file this node holds: which chunks it was told of, which the remote has, and the offers
/// still open (told of, neither sent nor announced). Not thread-safe; <see cref="RevealSchedule"/> locks.
/// </summary>
internal sealed class LinkReveal(RevealFile file, ChunkBitmap remoteHas, TimeProvider time)
{
    public RevealFile File { get; } = file;

    public ChunkBitmap Told { get; } = new(remoteHas.Count);

    public ChunkBitmap RemoteHas { get; } = remoteHas;

    public HashSet<int> Open { get; } = [];

    /// <summary>
    /// Bytes of chunks sent to this remote, for how many offers to keep open (<see cref="RevealSchedule"/>); short
    /// windows, so a fast remote gets its full share of offers within a fraction of a second.
    /// </summary>
    public RateMeter Sent { get; } = new(time, TimeSpan.FromMilliseconds(250));

    public bool Stopped { get; set; }
}
