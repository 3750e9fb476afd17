namespace P2PShare.Dht.Messages;

/// <summary>
/// One decoded DHT datagram. Which fields are set depends on <see cref="Type"/>: Target for find_node/get_peers/
/// announce, Token for peers/announce, StaticKey and Port for announce, Nodes and Holders for nodes/peers replies.
/// </summary>
public sealed class DhtMessage
{
    public required MessageType Type { get; init; }
    public required uint TransactionId { get; init; }
    public required NodeId SenderId { get; init; }
    public NodeId Target { get; init; }
    public ReadOnlyMemory<byte> Token { get; init; }
    public ReadOnlyMemory<byte> StaticKey { get; init; }
    public ushort Port { get; init; }
    public DhtErrorCode Error { get; init; }
    public IReadOnlyList<Contact> Nodes { get; init; } = [];
    public IReadOnlyList<Holder> Holders { get; init; } = [];

    public bool IsQuery => (byte)Type < 0x80;
}
