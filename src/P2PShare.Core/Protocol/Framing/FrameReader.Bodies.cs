using System.Buffers;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>
/// Piece bodies (up to 256 KiB) skip the pipe: once a Piece header is in, the bytes the pipe already holds are copied
/// into the payload buffer and the rest is read from the source stream straight into it. Over a secure stream that
/// means most of a chunk is decrypted directly into the buffer it is then hashed and written from, saving a copy of
/// every received byte.
/// </summary>
public sealed partial class FrameReader
{
    private async ValueTask<FrameReadResult> ReadPieceFromSourceAsync(ReadOnlySequence<byte> buffered, int frameLength, CancellationToken cancellationToken)
    {
        int payloadLength = frameLength - 1;
        var array = PayloadBuffer.Rent(MessageType.Piece, payloadLength, out var payload);
        var head = buffered.Slice(FrameLimits.HeaderLength);
        head.CopyTo(payload.Span);
        int filled = (int)head.Length;
        _reader.AdvanceTo(buffered.End); // the pipe is empty now, so the stream continues exactly where it stopped
        try
        {
            while (filled < payloadLength)
            {
                int read = await _source!.ReadAsync(payload[filled..], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(array);
                    return _terminal = EndedInsideFrame(FrameLimits.HeaderLength + filled, FrameLimits.LengthPrefix + frameLength);
                }

                filled += read;
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            ArrayPool<byte>.Shared.Return(array);
            return _terminal = FrameReadResult.Failed(exception.Message);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            _terminal = FrameReadResult.Failed("reading stopped inside a frame"); // the stream is mid-frame from here on
            throw;
        }

        var message = FrameDecoder.DecodeRented(MessageType.Piece, array, payload, out var lease, out string? error);
        return message is null ? _terminal = FrameReadResult.Malformed(error!) : FrameReadResult.Of(message, lease);
    }
}
