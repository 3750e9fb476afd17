namespace P2PShare.Dht.Messages;

/// <summary>Sizes and counts every DHT datagram is checked against (docs/protocol.md §3).</summary>
public static class DhtLimits
{
    public const byte Version = 1;

    /// <summary>Largest datagram sent or accepted; larger ones are dropped unread.</summary>
    public const int MaxDatagram = 1280;

    /// <summary>Version, type, transaction ID, sender ID.</summary>
    public const int HeaderSize = 1 + 1 + 4 + 20;

    /// <summary>find_node and get_peers queries are padded to this size, so their replies fit the amplification budget.</summary>
    public const int PaddedQuerySize = 400;

    /// <summary>A reply is never larger than this many times the query it answers.</summary>
    public const int AmplificationFactor = 3;

    public const int TokenSize = 16;
    public const int StaticKeySize = 32;
    public const int MaxNodesPerReply = 20;
    public const int MaxHoldersPerReply = 16;
}
