namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// One peer-wire message. A frame is <c>uint32 length (BE) | uint8 type | payload</c>; each message encodes its
/// payload as a fixed part plus, for Bitfield, Manifest and Piece, a variable body that is sent without copying.
/// </summary>
public abstract record PeerMessage
{
    private protected PeerMessage()
    {
    }

    public abstract MessageType Type { get; }

    /// <summary>Payload bytes written by <see cref="WriteFixed"/> (everything except <see cref="Body"/>).</summary>
    internal abstract int FixedLength { get; }

    /// <summary>The variable tail of the payload (chunk data, manifest bytes, bits); empty for most messages.</summary>
    internal virtual ReadOnlyMemory<byte> Body => ReadOnlyMemory<byte>.Empty;

    internal abstract void WriteFixed(Span<byte> destination);
}
