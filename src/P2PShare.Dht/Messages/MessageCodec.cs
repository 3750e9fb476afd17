using System.Buffers.Binary;

namespace P2PShare.Dht.Messages;

/// <summary>Encodes and decodes DHT datagrams (docs/protocol.md §3).</summary>
public static class MessageCodec
{
    /// <summary>
    /// Writes <paramref name="message"/> into <paramref name="destination"/> using at most <paramref name="budget"/>
    /// bytes: node and holder lists are cut to what fits, queries that ask for lists are padded to
    /// <see cref="DhtLimits.PaddedQuerySize"/>. Returns the datagram length.
    /// </summary>
    public static int Encode(DhtMessage message, Span<byte> destination, int budget = DhtLimits.MaxDatagram)
    {
        budget = Math.Min(Math.Min(budget, destination.Length), DhtLimits.MaxDatagram);
        destination[0] = DhtLimits.Version;
        destination[1] = (byte)message.Type;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], message.TransactionId);
        message.SenderId.Write(destination[6..]);
        int at = DhtLimits.HeaderSize;
        switch (message.Type)
        {
            case MessageType.FindNode or MessageType.GetPeers:
                message.Target.Write(destination[at..]);
                at += NodeId.Size;
                destination[at..DhtLimits.PaddedQuerySize].Clear();
                at = DhtLimits.PaddedQuerySize;
                break;
            case MessageType.Announce:
                message.Target.Write(destination[at..]);
                at += NodeId.Size;
                at += Copy(message.Token.Span, destination[at..], DhtLimits.TokenSize);
                at += Copy(message.StaticKey.Span, destination[at..], DhtLimits.StaticKeySize);
                BinaryPrimitives.WriteUInt16BigEndian(destination[at..], message.Port);
                at += 2;
                break;
            case MessageType.Nodes:
                at = WriteNodes(message.Nodes, destination, at, budget);
                break;
            case MessageType.Peers:
                at += Copy(message.Token.Span, destination[at..], DhtLimits.TokenSize);
                at = WriteHolders(message.Holders, destination, at, budget - 1);
                at = WriteNodes(message.Nodes, destination, at, budget);
                break;
            case MessageType.Error:
                destination[at++] = (byte)message.Error;
                break;
        }

        return at;
    }

    /// <summary>Decodes one datagram or throws <see cref="MalformedMessageException"/> saying what is wrong.</summary>
    public static DhtMessage Decode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > DhtLimits.MaxDatagram)
        {
            throw new MalformedMessageException($"datagram of {datagram.Length} bytes is over {DhtLimits.MaxDatagram}");
        }

        var reader = new SpanReader(datagram);
        if (reader.Byte() != DhtLimits.Version)
        {
            throw new MalformedMessageException("unknown version");
        }

        var type = (MessageType)reader.Byte();
        uint transaction = reader.UInt32();
        var sender = reader.Id();
        var message = type switch
        {
            MessageType.Ping or MessageType.Pong or MessageType.Announced => Make(type, transaction, sender),
            MessageType.FindNode or MessageType.GetPeers => new DhtMessage { Type = type, TransactionId = transaction, SenderId = sender, Target = reader.Id() },
            MessageType.Announce => new DhtMessage
            {
                Type = type,
                TransactionId = transaction,
                SenderId = sender,
                Target = reader.Id(),
                Token = reader.Bytes(DhtLimits.TokenSize).ToArray(),
                StaticKey = reader.Bytes(DhtLimits.StaticKeySize).ToArray(),
                Port = NonZeroPort(reader.UInt16()),
            },
            MessageType.Nodes => new DhtMessage { Type = type, TransactionId = transaction, SenderId = sender, Nodes = ReadNodes(ref reader) },
            MessageType.Peers => ReadPeers(ref reader, transaction, sender),
            MessageType.Error => new DhtMessage { Type = type, TransactionId = transaction, SenderId = sender, Error = (DhtErrorCode)reader.Byte() },
            _ => throw new MalformedMessageException($"unknown message type 0x{(byte)type:x2}"),
        };
        if (message.IsQuery ? reader.Rest.ContainsAnyExcept((byte)0) : reader.Remaining != 0)
        {
            throw new MalformedMessageException("trailing bytes after the message");
        }

        return message;
    }

    private static DhtMessage Make(MessageType type, uint transaction, NodeId sender) =>
        new() { Type = type, TransactionId = transaction, SenderId = sender };

    private static DhtMessage ReadPeers(ref SpanReader reader, uint transaction, NodeId sender)
    {
        var token = reader.Bytes(DhtLimits.TokenSize).ToArray();
        int count = Count(reader.Byte(), DhtLimits.MaxHoldersPerReply, "holders");
        var holders = new List<Holder>(count);
        for (int i = 0; i < count; i++)
        {
            var key = reader.Bytes(DhtLimits.StaticKeySize).ToArray();
            var endPoint = EndpointCodec.Read(ref reader) ?? throw new MalformedMessageException("holder with an unusable address");
            holders.Add(new Holder(NodeId.FromStaticKey(key), key, endPoint));
        }

        return new DhtMessage { Type = MessageType.Peers, TransactionId = transaction, SenderId = sender, Token = token, Holders = holders, Nodes = ReadNodes(ref reader) };
    }

    private static List<Contact> ReadNodes(ref SpanReader reader)
    {
        int count = Count(reader.Byte(), DhtLimits.MaxNodesPerReply, "nodes");
        var nodes = new List<Contact>(count);
        for (int i = 0; i < count; i++)
        {
            var id = reader.Id();
            var endPoint = EndpointCodec.Read(ref reader) ?? throw new MalformedMessageException("node with an unusable address");
            nodes.Add(new Contact(id, endPoint));
        }

        return nodes;
    }

    private static int WriteNodes(IReadOnlyList<Contact> nodes, Span<byte> destination, int at, int budget)
    {
        int countAt = at++;
        int count = 0;
        foreach (var node in nodes)
        {
            int size = NodeId.Size + EndpointCodec.SizeOf(node.EndPoint);
            if (count == DhtLimits.MaxNodesPerReply || at + size > budget)
            {
                break;
            }

            node.Id.Write(destination[at..]);
            at += NodeId.Size;
            at += EndpointCodec.Write(destination[at..], node.EndPoint);
            count++;
        }

        destination[countAt] = (byte)count;
        return at;
    }

    private static int WriteHolders(IReadOnlyList<Holder> holders, Span<byte> destination, int at, int budget)
    {
        int countAt = at++;
        int count = 0;
        foreach (var holder in holders)
        {
            int size = DhtLimits.StaticKeySize + EndpointCodec.SizeOf(holder.EndPoint);
            if (count == DhtLimits.MaxHoldersPerReply || at + size > budget)
            {
                break;
            }

            holder.StaticKey.Span.CopyTo(destination[at..]);
            at += DhtLimits.StaticKeySize;
            at += EndpointCodec.Write(destination[at..], holder.EndPoint);
            count++;
        }

        destination[countAt] = (byte)count;
        return at;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination, int size)
    {
        if (source.Length != size)
        {
            throw new ArgumentException($"field must be {size} bytes");
        }

        source.CopyTo(destination);
        return size;
    }

    private static int Count(byte count, int max, string what) =>
        count <= max ? count : throw new MalformedMessageException($"{count} {what} is over the limit of {max}");

    private static ushort NonZeroPort(ushort port) => port != 0 ? port : throw new MalformedMessageException("port 0");
}
