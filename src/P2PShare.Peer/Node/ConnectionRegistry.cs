using System.Collections.Concurrent;
using P2PShare.Peer.Control;

namespace P2PShare.Peer.Node;

/// <summary>The node's open peer connections and their traffic, for <c>peers</c>, status and metrics.</summary>
internal sealed class ConnectionRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, ConnectionStats> _open = new();
    private long _nextId;
    private long _closedUp;
    private long _closedDown;

    public long TotalBytesUp => Interlocked.Read(ref _closedUp) + _open.Values.Sum(c => c.BytesUp);

    public long TotalBytesDown => Interlocked.Read(ref _closedDown) + _open.Values.Sum(c => c.BytesDown);

    public int Count => _open.Count;

    public ConnectionStats Open(string address, string transport, string direction)
    {
        long id = Interlocked.Increment(ref _nextId);
        var stats = new ConnectionStats(id, address, transport, direction, time.GetUtcNow());
        _open[id] = stats;
        return stats;
    }

    public void Close(ConnectionStats stats)
    {
        if (_open.TryRemove(stats.Id, out _))
        {
            Interlocked.Add(ref _closedUp, stats.BytesUp);
            Interlocked.Add(ref _closedDown, stats.BytesDown);
        }
    }

    public IReadOnlyList<ConnectionView> List() =>
        _open.Values.OrderBy(c => c.Id).Select(c => new ConnectionView(c.PeerId ?? "(handshaking)", c.Address, c.Transport, c.Direction, c.BytesUp, c.BytesDown, c.ConnectedAt)).ToList();
}
