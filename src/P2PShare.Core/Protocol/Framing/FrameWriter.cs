using System.Buffers;
using System.Buffers.Binary;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>
/// Writes peer-wire frames to a stream; safe to call from several tasks (frames never interleave). The header and
/// small payloads go out in one write; a large body (a Piece's chunk, a Manifest page) follows the header without
/// being copied — over a <see cref="SecureStream"/> both parts leave in one batch of records. A write that is
/// cancelled or fails part-way leaves the stream mid-frame: close the connection.
/// </summary>
public sealed class FrameWriter(Stream stream) : IDisposable
{
    /// <summary>Bodies up to this size are copied next to the header so the frame is one write.</summary>
    private const int CoalesceLimit = 4096;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Queues behind other writers, then sends the frame. Argument errors throw before anything is sent.</summary>
    public ValueTask WriteAsync(PeerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        int fixedLength = message.FixedLength;
        var body = message.Body;
        long frameLength = 1L + fixedLength + body.Length;
        if (FrameLimits.PayloadBounds(message.Type) is not { } bounds || frameLength - 1 < bounds.Min || frameLength - 1 > bounds.Max)
        {
            throw new ArgumentException($"{message.Type} payload of {frameLength - 1} bytes is outside the protocol's limits", nameof(message));
        }

        bool coalesce = body.Length <= CoalesceLimit;
        int headLength = FrameLimits.HeaderLength + fixedLength + (coalesce ? body.Length : 0);
        var head = ArrayPool<byte>.Shared.Rent(headLength);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(head, (uint)frameLength);
            head[FrameLimits.LengthPrefix] = (byte)message.Type;
            message.WriteFixed(head.AsSpan(FrameLimits.HeaderLength, fixedLength));
            if (coalesce)
            {
                body.Span.CopyTo(head.AsSpan(FrameLimits.HeaderLength + fixedLength));
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(head);
            throw;
        }

        return SendFrameAsync(head, headLength, coalesce ? ReadOnlyMemory<byte>.Empty : body, cancellationToken);
    }

    public void Dispose() => _gate.Dispose();

    private async ValueTask SendFrameAsync(byte[] head, int headLength, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await SendAsync(head.AsMemory(0, headLength), body, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (stream is SecureStream secure)
        {
            await secure.WriteAsync(head, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        if (!body.IsEmpty)
        {
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }
}
