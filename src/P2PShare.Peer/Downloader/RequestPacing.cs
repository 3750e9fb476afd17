using P2PShare.Core.Chunking;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Downloader;

/// <summary>
/// How hard to press one holder: how many requests to keep in flight for the rate it delivers, and which chunks
/// it asked us to come back later for. Not thread-safe (the download locks).
/// </summary>
internal sealed class RequestPacing(TimeProvider time)
{
    /// <summary>Data worth this much time at the holder's current rate is kept requested (see <see cref="Depth"/>).</summary>
    public static readonly TimeSpan QueueTarget = TimeSpan.FromMilliseconds(150);

    private readonly Dictionary<int, long> _busyUntil = [];
    private readonly RateMeter _rate = new(time, TimeSpan.FromSeconds(1));

    /// <summary>Counts a chunk that arrived from the holder.</summary>
    public void Received(int bytes) => _rate.Add(bytes);

    /// <summary>
    /// How many requests to keep in flight: enough for <see cref="QueueTarget"/> of data at the rate the holder
    /// delivers, plus one, between 2 and <paramref name="max"/> (half of it until a rate is known). A fast holder
    /// gets the full pipeline; a slow or shared one (a rate-limited seeder serving many) gets short queues, so a
    /// chunk waits there briefly and other downloaders rarely ask it for the same chunk in the meantime.
    /// </summary>
    public int Depth(int max)
    {
        if (_rate.LastWindow is not double rate)
        {
            return Math.Max(2, max / 2);
        }

        int wanted = 1 + (int)Math.Ceiling(rate * QueueTarget.TotalSeconds / ChunkLayout.DefaultChunkSize);
        return Math.Clamp(wanted, 2, Math.Max(2, max));
    }

    /// <summary>The holder answered Busy for this chunk: do not ask it again for <paramref name="delay"/>.</summary>
    public void BackOff(int index, TimeSpan delay) => _busyUntil[index] = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);

    public bool IsBackingOff(int index)
    {
        if (!_busyUntil.TryGetValue(index, out long until))
        {
            return false;
        }

        if (time.GetTimestamp() < until)
        {
            return true;
        }

        _busyUntil.Remove(index);
        return false;
    }
}
