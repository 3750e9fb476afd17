namespace P2PShare.Net.HolePunch;

/// <summary>Limits and timers of the hole-punched stream; the defaults suit a path of up to a few hundred ms RTT.</summary>
public sealed record UdpStreamOptions
{
    /// <summary>Bytes written but not yet acknowledged that one stream holds (bounds the bandwidth-delay product it can fill).</summary>
    public int SendBufferBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Flow-control window: bytes received ahead of the reader that one stream holds.</summary>
    public int ReceiveWindowBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>An idle stream sends a PING this often so NAT mappings (30 s in the lab) stay open.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>With nothing heard from the peer for this long the stream fails with an IOException.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>How long ConnectAsync repeats its HELLO before giving up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long closing waits, without any progress, for the peer to acknowledge the last bytes.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Streams one socket carries at once (both directions).</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Inbound streams waiting for AcceptAsync.</summary>
    public int AcceptBacklog { get; init; } = 32;

    /// <summary>
    /// Hand the kernel runs of full-size datagrams in one call and take them back the same way (Linux UDP_SEGMENT and
    /// UDP_GRO) where it offers that; off, every datagram costs a system call at both ends.
    /// </summary>
    public bool UseSegmentationOffload { get; init; } = true;

    /// <summary>Tokens the socket accepts HELLOs for at once.</summary>
    public int MaxTokens { get; init; } = 256;
}
