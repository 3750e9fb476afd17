using P2PShare.Core.Chunking;

namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// The bytes of chunk Index (1 to 262,144 bytes; the receiver checks them against the chunk hash).
/// Payload: <c>file_id[32] | uint32 index | data</c>. A received Piece's data lives in the frame's pooled buffer
/// until its FrameReadResult is disposed; a sent Piece's data is encrypted straight from the caller's memory.
/// </summary>
public sealed record Piece(string FileId, int Index, ReadOnlyMemory<byte> Data) : PeerMessage
{
    public const int MaxDataLength = ChunkLayout.DefaultChunkSize;

    public override MessageType Type => MessageType.Piece;

    internal override int FixedLength => FileIndexLayout.Length;

    internal override ReadOnlyMemory<byte> Body => Data;

    internal override void WriteFixed(Span<byte> destination)
    {
        if (Data.IsEmpty || Data.Length > MaxDataLength)
        {
            throw new ArgumentException($"a piece carries 1 to {MaxDataLength} bytes, not {Data.Length}");
        }

        FileIndexLayout.Write(FileId, Index, destination);
    }

    internal static Piece? Decode(ReadOnlyMemory<byte> payload, out string? error) =>
        FileIndexLayout.TryRead(payload.Span, out var fileId, out int index, out error)
            ? new Piece(fileId, index, payload[FileIndexLayout.Length..])
            : null;
}
