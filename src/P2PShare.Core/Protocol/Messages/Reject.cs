namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// Refuses a Request (Index = the chunk index) or a ManifestRequest (Index = the requested offset).
/// Payload: <c>file_id[32] | uint32 index | uint8 reason</c>.
/// </summary>
public sealed record Reject(string FileId, int Index, RejectReason Reason) : PeerMessage
{
    public override MessageType Type => MessageType.Reject;

    internal override int FixedLength => FileIndexLayout.Length + 1;

    internal override void WriteFixed(Span<byte> destination)
    {
        FileIndexLayout.Write(FileId, Index, destination);
        destination[FileIndexLayout.Length] = (byte)Reason;
    }

    internal static Reject? Decode(ReadOnlySpan<byte> payload, out string? error) =>
        FileIndexLayout.TryRead(payload, out var fileId, out int index, out error)
            ? new Reject(fileId, index, (RejectReason)payload[FileIndexLayout.Length])
            : null;
}
