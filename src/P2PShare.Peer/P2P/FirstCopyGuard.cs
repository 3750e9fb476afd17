namespace P2PShare.Peer.P2P;

/// <summary>
/// Spreads a whole-file holder's upload over the swarm. The holder of a whole file is usually its scarcest uploader:
/// every byte it sends twice is a byte no other downloader could have sent instead. Downloaders pick chunks on their
/// own, so two of them often ask it for the same chunk within moments. This guard lets one of them have it and
/// turns the other away with Busy for <see cref="Window"/> while the first is still connected and fetching the file
/// (<paramref name="stillFetching"/>(peer, file)): by then the first has announced the chunk (Have) and serves it,
/// and the holder's upload went to a chunk nobody had yet. A first recipient that has gone away shields nothing.
/// </summary>
internal sealed class FirstCopyGuard(TimeProvider time, Func<string, string, bool> stillFetching)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private const int PruneAbove = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string FileId, int Index), (long At, string PeerId)> _sent = [];

    /// <summary>
    /// True when chunk <paramref name="index"/> may go to <paramref name="peerId"/> now, and records that it does;
    /// false when it went to another peer, still connected and fetching the file, less than <see cref="Window"/> ago.
    /// </summary>
    public bool TryClaim(string fileId, int index, string peerId)
    {
        long now = time.GetTimestamp();
        lock (_lock)
        {
            if (_sent.TryGetValue((fileId, index), out var last) && last.PeerId != peerId && time.GetElapsedTime(last.At, now) < Window
                && stillFetching(last.PeerId, fileId))
            {
                return false;
            }

            if (_sent.Count >= PruneAbove)
            {
                Prune(now);
            }

            _sent[(fileId, index)] = (now, peerId);
            return true;
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, value) in _sent)
        {
            if (time.GetElapsedTime(value.At, now) >= Window)
            {
                _sent.Remove(key);
            }
        }
    }
}
