namespace P2PShare.Core.Protocol.Messages;

/// <summary>Keeps an idle connection open; empty payload.</summary>
public sealed record KeepAlive : PeerMessage
{
    public static KeepAlive Instance { get; } = new();

    public override MessageType Type => MessageType.KeepAlive;

    internal override int FixedLength => 0;

    internal override void WriteFixed(Span<byte> destination)
    {
    }
}
