namespace P2PShare.Peer.Node;

/// <summary>Live counters of one connection; the counting stream under the encryption updates them.</summary>
internal sealed class ConnectionStats(long id, string address, string transport, string direction, DateTimeOffset connectedAt)
{
    private long _up;
    private long _down;

    public long Id { get; } = id;

    public string Address { get; } = address;

    public string Transport { get; } = transport;

    public string Direction { get; } = direction;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    public string? PeerId { get; set; }

    public long BytesUp => Interlocked.Read(ref _up);

    public long BytesDown => Interlocked.Read(ref _down);

    public void AddUp(int count) => Interlocked.Add(ref _up, count);

    public void AddDown(int count) => Interlocked.Add(ref _down, count);
}
