namespace P2PShare.Core.Protocol.Messages;

/// <summary>The sender now has chunk Index of the file (sent after it verified the chunk). Payload: <c>file_id[32] | uint32 index</c>.</summary>
public sealed record Have(string FileId, int Index) : PeerMessage
{
    public override MessageType Type => MessageType.Have;

    internal override int FixedLength => FileIndexLayout.Length;

    internal override void WriteFixed(Span<byte> destination) => FileIndexLayout.Write(FileId, Index, destination);

    internal static Have? Decode(ReadOnlySpan<byte> payload, out string? error) =>
        FileIndexLayout.TryRead(payload, out var fileId, out int index, out error) ? new Have(fileId, index) : null;
}
