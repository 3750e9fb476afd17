namespace P2PShare.Dht.Messages;

/// <summary>A datagram that breaks the DHT wire format; it is dropped and counted, never answered with more than an error.</summary>
public sealed class MalformedMessageException(string message) : Exception(message);
