using System.Buffers;
using System.Buffers.Binary;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>
/// Pure decoding of frames from buffered bytes, no IO. The header is judged as soon as its five bytes are
/// present, so a bad type or an oversized length is refused before any payload arrives, and nothing is ever
/// allocated for a length that has only been claimed.
/// </summary>
internal static class FrameDecoder
{
    public enum Outcome
    {
        NeedMoreData,
        Frame,
        Malformed,
    }

    /// <summary>
    /// Looks at the start of <paramref name="buffer"/>. On <see cref="Outcome.Frame"/>, <paramref name="frameLength"/>
    /// is the length field (type + payload), so the whole frame is 4 + frameLength bytes.
    /// </summary>
    public static Outcome TryReadHeader(ReadOnlySequence<byte> buffer, int maxFrameLength, out MessageType type, out int frameLength, out string? error)
    {
        type = default;
        frameLength = 0;
        error = null;
        if (buffer.Length < FrameLimits.HeaderLength)
        {
            return Outcome.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[FrameLimits.HeaderLength];
        buffer.Slice(0, FrameLimits.HeaderLength).CopyTo(header);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        type = (MessageType)header[4];
        if (length == 0 || length > maxFrameLength)
        {
            error = $"frame length {length} is outside 1..{maxFrameLength}";
            return Outcome.Malformed;
        }

        if (FrameLimits.PayloadBounds(type) is not { } bounds)
        {
            error = $"unknown message type {header[4]}";
            return Outcome.Malformed;
        }

        var (min, max) = bounds;
        long payload = length - 1;
        if (payload < min || payload > max)
        {
            error = $"{type} payload of {payload} bytes is outside {min}..{max}";
            return Outcome.Malformed;
        }

        frameLength = (int)length;
        return buffer.Length >= FrameLimits.LengthPrefix + length ? Outcome.Frame : Outcome.NeedMoreData;
    }

    /// <summary>
    /// Decodes a complete payload. The bytes are copied once into a pooled array (<see cref="PayloadBuffer"/>); messages
    /// that keep a body (Bitfield, Manifest, Piece) hand the array back in <paramref name="lease"/>, the others return it
    /// at once.
    /// </summary>
    public static PeerMessage? Decode(MessageType type, ReadOnlySequence<byte> payload, out byte[]? lease, out string? error)
    {
        var array = PayloadBuffer.Rent(type, (int)payload.Length, out var memory);
        payload.CopyTo(memory.Span);
        return DecodeRented(type, array, memory, out lease, out error);
    }

    /// <summary>Decodes a payload already in <paramref name="array"/> (from <see cref="PayloadBuffer.Rent"/>), which it takes over.</summary>
    public static PeerMessage? DecodeRented(MessageType type, byte[] array, ReadOnlyMemory<byte> memory, out byte[]? lease, out string? error)
    {
        var message = DecodeMemory(type, memory, out error);
        bool keepsBody = message is Bitfield or Manifest or Piece;
        if (!keepsBody)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        lease = keepsBody ? array : null;
        return message;
    }

    private static PeerMessage? DecodeMemory(MessageType type, ReadOnlyMemory<byte> payload, out string? error)
    {
        error = null;
        var span = payload.Span;
        return type switch
        {
            MessageType.Hello => Hello.Decode(span, out error),
            MessageType.KeepAlive => KeepAlive.Instance,
            MessageType.Error => Error.Decode(span),
            MessageType.Bitfield => Bitfield.Decode(payload, out error),
            MessageType.Have => Have.Decode(span, out error),
            MessageType.ManifestRequest => ManifestRequest.Decode(span, out error),
            MessageType.Manifest => Manifest.Decode(payload, out error),
            MessageType.Request => Request.Decode(span, out error),
            MessageType.Piece => Piece.Decode(payload, out error),
            MessageType.Cancel => Cancel.Decode(span, out error),
            MessageType.Reject => Reject.Decode(span, out error),
            _ => Unknown(type, out error),
        };
    }

    private static PeerMessage? Unknown(MessageType type, out string error)
    {
        error = $"unknown message type {(byte)type}";
        return null;
    }
}
