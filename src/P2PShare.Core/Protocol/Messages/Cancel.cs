namespace P2PShare.Core.Protocol.Messages;

/// <summary>Withdraws an earlier Request; a Piece already on its way may still arrive. Payload: <c>file_id[32] | uint32 index</c>.</summary>
public sealed record Cancel(string FileId, int Index) : PeerMessage
{
    public override MessageType Type => MessageType.Cancel;

    internal override int FixedLength => FileIndexLayout.Length;

    internal override void WriteFixed(Span<byte> destination) => FileIndexLayout.Write(FileId, Index, destination);

    internal static Cancel? Decode(ReadOnlySpan<byte> payload, out string? error) =>
        FileIndexLayout.TryRead(payload, out var fileId, out int index, out error) ? new Cancel(fileId, index) : null;
}
