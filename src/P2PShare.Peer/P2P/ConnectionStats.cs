using P2PShare.Core.Transport;

namespace P2PShare.Peer.P2P;

/// <summary>Which side opened a connection.</summary>
internal enum ConnectionDirection
{
    Inbound,
    Outbound,
}

/// <summary>Live counters of one connection; the counting stream under the encryption updates them.</summary>
internal sealed class ConnectionStats(long id, string address, ConnectionKind path, ConnectionDirection direction, DateTimeOffset connectedAt)
{
    private long _up;
    private long _down;
    private int _rttMs = -1;
    private int _dialMs = -1;

    public long Id { get; } = id;

    public string Address { get; } = address;

    /// <summary>How the connection reaches the other peer: direct TCP, hole punch or the tracker's relay.</summary>
    public ConnectionKind Path { get; } = path;

    public ConnectionDirection Direction { get; } = direction;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    public string? PeerId { get; set; }

    public long BytesUp => Interlocked.Read(ref _up);

    public long BytesDown => Interlocked.Read(ref _down);

    /// <summary>The last measured round trip in milliseconds (the Hello exchange), null until measured.</summary>
    public int? RttMs => Volatile.Read(ref _rttMs) is >= 0 and var rtt ? rtt : null;

    /// <summary>
    /// For a link this node dialled: milliseconds from the start of the dial to the winning path's finished handshake
    /// (every path tried, raced or in turn); null for inbound links.
    /// </summary>
    public int? DialMs => Volatile.Read(ref _dialMs) is >= 0 and var dial ? dial : null;

    public void AddUp(int count) => Interlocked.Add(ref _up, count);

    public void AddDown(int count) => Interlocked.Add(ref _down, count);

    public void SetRtt(TimeSpan rtt) => Volatile.Write(ref _rttMs, (int)Math.Min(int.MaxValue, Math.Ceiling(rtt.TotalMilliseconds)));

    public void SetDialTime(TimeSpan dial) => Volatile.Write(ref _dialMs, (int)Math.Min(int.MaxValue, Math.Ceiling(dial.TotalMilliseconds)));
}
