using System.Buffers.Binary;

namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// One page of a file's manifest JSON (DESIGN §3): bytes [Offset, Offset + Data.Length) of a document of
/// TotalLength bytes. The requester asks again from the next offset until it has TotalLength bytes, then checks the
/// manifest against the file ID. Payload: <c>file_id[32] | uint32 total_length | uint32 offset | data</c>, with at
/// most <see cref="Framing.FrameLimits.MaxManifestPage"/> bytes of data. Data lives in the frame's pooled buffer
/// until its FrameReadResult is disposed.
/// </summary>
public sealed record Manifest(string FileId, int TotalLength, int Offset, ReadOnlyMemory<byte> Data) : PeerMessage
{
    internal const int HeaderLength = WireIds.FileIdLength + 8;

    public override MessageType Type => MessageType.Manifest;

    internal override int FixedLength => HeaderLength;

    internal override ReadOnlyMemory<byte> Body => Data;

    internal override void WriteFixed(Span<byte> destination)
    {
        if (Offset < 0 || TotalLength < 0 || (long)Offset + Data.Length > TotalLength)
        {
            throw new ArgumentException($"manifest page [{Offset}, {Offset + Data.Length}) lies outside 0..{TotalLength}");
        }

        WireIds.WriteFileId(FileId, destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireIds.FileIdLength..], (uint)TotalLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(WireIds.FileIdLength + 4)..], (uint)Offset);
    }

    internal static Manifest? Decode(ReadOnlyMemory<byte> payload, out string? error)
    {
        var span = payload.Span;
        if (!FileIndexLayout.TryReadIndex(span[WireIds.FileIdLength..], "manifest length", out int total, out error)
            || !FileIndexLayout.TryReadIndex(span[(WireIds.FileIdLength + 4)..], "manifest offset", out int offset, out error))
        {
            return null;
        }

        var data = payload[HeaderLength..];
        if ((long)offset + data.Length > total)
        {
            error = $"manifest page [{offset}, {(long)offset + data.Length}) runs past its total length {total}";
            return null;
        }

        return new Manifest(WireIds.ReadFileId(span), total, offset, data);
    }
}
