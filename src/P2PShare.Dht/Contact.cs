using System.Net;

namespace P2PShare.Dht;

/// <summary>A DHT node: its ID and the UDP address it answers on.</summary>
public sealed record Contact(NodeId Id, IPEndPoint EndPoint);
