namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// Asks for the file's manifest JSON from byte <see cref="Offset"/> on; answered by one Manifest page or Reject.
/// Payload: <c>file_id[32] | uint32 offset</c>. Large manifests are fetched page by page.
/// </summary>
public sealed record ManifestRequest(string FileId, int Offset) : PeerMessage
{
    public override MessageType Type => MessageType.ManifestRequest;

    internal override int FixedLength => FileIndexLayout.Length;

    internal override void WriteFixed(Span<byte> destination) => FileIndexLayout.Write(FileId, Offset, destination);

    internal static ManifestRequest? Decode(ReadOnlySpan<byte> payload, out string? error) =>
        FileIndexLayout.TryRead(payload, out var fileId, out int offset, out error) ? new ManifestRequest(fileId, offset) : null;
}
