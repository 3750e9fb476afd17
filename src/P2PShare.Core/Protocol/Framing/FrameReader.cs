using System.IO.Pipelines;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>
/// Reads peer-wire frames from a <see cref="PipeReader"/>. Never throws for bad input: a malformed frame, a
/// truncated frame or a failed transport comes back as a <see cref="FrameReadResult"/> with a reason, after which
/// every further read returns the same outcome. Bytes are buffered only as they arrive, never for a claimed length
/// (except a Piece's, at most 256 KiB and from the pool, see FrameReader.Bodies.cs).
/// Only cancellation (<see cref="OperationCanceledException"/>) escapes. One reader at a time.
/// </summary>
public sealed partial class FrameReader : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly int _maxFrameLength;
    private readonly Stream? _source;
    private FrameReadResult? _terminal;

    /// <param name="reader">Where frames are read from.</param>
    /// <param name="maxFrameLength">Longer frames are malformed.</param>
    /// <param name="source">
    /// The stream under <paramref name="reader"/>, if any: the rest of a Piece's body is then read from it straight into
    /// the payload buffer instead of through the pipe (see FrameReader.Bodies.cs).
    /// </param>
    public FrameReader(PipeReader reader, int maxFrameLength = FrameLimits.MaxFrameLength, Stream? source = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameLength, FrameLimits.MaxFrameLength);
        _reader = reader;
        _maxFrameLength = maxFrameLength;
        _source = source;
    }

    /// <summary>
    /// A reader over <paramref name="stream"/> whose reads are big enough for a whole secure-stream record, so
    /// <see cref="SecureStream"/> decrypts straight into the pipe's buffers.
    /// </summary>
    public static FrameReader Create(Stream stream, bool leaveOpen = false)
    {
        var options = new StreamPipeReaderOptions(bufferSize: 128 * 1024, minimumReadSize: 64 * 1024, leaveOpen: leaveOpen);
        return new FrameReader(PipeReader.Create(stream, options), source: stream);
    }

    public async ValueTask<FrameReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        if (_terminal is not null)
        {
            return _terminal;
        }

        while (true)
        {
            ReadResult read;
            try
            {
                read = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                return _terminal = FrameReadResult.Failed(exception.Message);
            }

            var buffer = read.Buffer;
            var outcome = FrameDecoder.TryReadHeader(buffer, _maxFrameLength, out var type, out int frameLength, out var error);
            if (outcome == FrameDecoder.Outcome.Malformed)
            {
                _reader.AdvanceTo(buffer.Start);
                return _terminal = FrameReadResult.Malformed(error!);
            }

            if (outcome == FrameDecoder.Outcome.NeedMoreData)
            {
                if (read.IsCompleted)
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    return _terminal = buffer.IsEmpty
                        ? FrameReadResult.EndOfStream
                        : EndedInsideFrame(buffer.Length, frameLength > 0 ? FrameLimits.LengthPrefix + frameLength : FrameLimits.HeaderLength);
                }

                if (type == MessageType.Piece && frameLength > 0 && _source is not null)
                {
                    return await ReadPieceFromSourceAsync(buffer, frameLength, cancellationToken).ConfigureAwait(false);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var payload = buffer.Slice(FrameLimits.HeaderLength, frameLength - 1);
            var message = FrameDecoder.Decode(type, payload, out var lease, out error);
            _reader.AdvanceTo(buffer.GetPosition(FrameLimits.LengthPrefix + frameLength));
            return message is null
                ? _terminal = FrameReadResult.Malformed(error!)
                : FrameReadResult.Of(message, lease);
        }
    }

    public async ValueTask DisposeAsync() => await _reader.CompleteAsync().ConfigureAwait(false);

    private static FrameReadResult EndedInsideFrame(long received, long whole) =>
        FrameReadResult.Malformed($"the stream ended inside a frame ({received} bytes of {whole})");
}
