using System.Collections.Concurrent;
using P2PShare.Core.Transport;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Connection;

/// <summary>
/// The node's open peer connections (inbound and outbound, handshaking or established) and their traffic, for
/// <c>peers</c>, status and metrics. At most <see cref="MaxConnections"/> are open at once.
/// </summary>
internal sealed class ConnectionRegistry(TimeProvider time, int maxConnections = ConnectionRegistry.DefaultMaxConnections)
{
    public const int DefaultMaxConnections = 256;

    private readonly ConcurrentDictionary<long, ConnectionStats> _open = new();
    private readonly Lock _gate = new();
    private long _nextId;
    private long _closedUp;
    private long _closedDown;

    public int MaxConnections { get; } = maxConnections;

    public long TotalBytesUp => Interlocked.Read(ref _closedUp) + _open.Values.Sum(c => c.BytesUp);

    public long TotalBytesDown => Interlocked.Read(ref _closedDown) + _open.Values.Sum(c => c.BytesDown);

    public int Count => _open.Count;

    /// <summary>Counts a new connection, or throws <see cref="ConnectionLimitException"/> when the cap is reached.</summary>
    public ConnectionStats Open(string address, ConnectionKind path, ConnectionDirection direction)
    {
        lock (_gate)
        {
            if (_open.Count >= MaxConnections)
            {
                throw new ConnectionLimitException($"{MaxConnections} peer connections are open already; {direction.ToString().ToLowerInvariant()} connection {address} refused");
            }

            long id = ++_nextId;
            var stats = new ConnectionStats(id, address, path, direction, time.GetUtcNow());
            _open[id] = stats;
            return stats;
        }
    }

    public void Close(ConnectionStats stats)
    {
        if (_open.TryRemove(stats.Id, out _))
        {
            Interlocked.Add(ref _closedUp, stats.BytesUp);
            Interlocked.Add(ref _closedDown, stats.BytesDown);
        }
    }

    public IReadOnlyList<ConnectionSnapshot> List() =>
        _open.Values.OrderBy(c => c.Id)
            .Select(c => new ConnectionSnapshot(c.PeerId ?? "(handshaking)", c.Address, c.Path, c.Direction, c.RttMs, c.BytesUp, c.BytesDown, c.ConnectedAt, c.DialMs))
            .ToList();
}

/// <summary>The node already has as many peer connections open as it allows.</summary>
internal sealed class ConnectionLimitException(string message) : Exception(message);
