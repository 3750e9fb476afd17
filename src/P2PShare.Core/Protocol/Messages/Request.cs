namespace P2PShare.Core.Protocol.Messages;

/// <summary>Asks for chunk Index of the file; answered by Piece or Reject. Payload: <c>file_id[32] | uint32 index</c>.</summary>
public sealed record Request(string FileId, int Index) : PeerMessage
{
    public override MessageType Type => MessageType.Request;

    internal override int FixedLength => FileIndexLayout.Length;

    internal override void WriteFixed(Span<byte> destination) => FileIndexLayout.Write(FileId, Index, destination);

    internal static Request? Decode(ReadOnlySpan<byte> payload, out string? error) =>
        FileIndexLayout.TryRead(payload, out var fileId, out int index, out error) ? new Request(fileId, index) : null;
}
