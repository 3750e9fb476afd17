namespace P2PShare.Dht.Messages;

/// <summary>The type byte of a DHT datagram (docs/protocol.md §3). Replies have the high bit set.</summary>
public enum MessageType : byte
{
    Ping = 0x01,
    FindNode = 0x02,
    GetPeers = 0x03,
    Announce = 0x04,
    Pong = 0x81,
    Nodes = 0x82,
    Peers = 0x83,
    Announced = 0x84,
    Error = 0xFF,
}
