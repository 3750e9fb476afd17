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
        long frameLength = CheckedFrameLength(message);
        var body = message.Body;
        bool coalesce = body.Length <= CoalesceLimit;
        int headLength = FrameLimits.HeaderLength + message.FixedLength + (coalesce ? body.Length : 0);
        var head = ArrayPool<byte>.Shared.Rent(headLength);
        try
        {
            Encode(message, frameLength, head.AsSpan(0, headLength), withBody: coalesce);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(head);
            throw;
        }

        return SendFrameAsync(head, headLength, coalesce ? ReadOnlyMemory<byte>.Empty : body, cancellationToken);
    }

    /// <summary>
    /// Sends several small frames (bodies of at most 4 KiB, such as Have) back to back in one write, so they cost one
    /// record and one system call between them. Argument errors throw before anything is sent.
    /// </summary>
    public ValueTask WriteSmallAsync(IReadOnlyList<PeerMessage> messages, CancellationToken cancellationToken)
    {
        int total = 0;
        foreach (var message in messages)
        {
            long frameLength = CheckedFrameLength(message);
            if (message.Body.Length > CoalesceLimit)
            {
                throw new ArgumentException($"{message.Type} body of {message.Body.Length} bytes is too large to batch", nameof(messages));
            }

            total += FrameLimits.LengthPrefix + (int)frameLength;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, total));
        int used = 0;
        foreach (var message in messages)
        {
            long frameLength = CheckedFrameLength(message);
            int length = FrameLimits.LengthPrefix + (int)frameLength;
            Encode(message, frameLength, buffer.AsSpan(used, length), withBody: true);
            used += length;
        }

        return SendFrameAsync(buffer, used, ReadOnlyMemory<byte>.Empty, cancellationToken);
    }

    public void Dispose() => _gate.Dispose();

    private static long CheckedFrameLength(PeerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        long frameLength = 1L + message.FixedLength + message.Body.Length;
        if (FrameLimits.PayloadBounds(message.Type) is not { } bounds || frameLength - 1 < bounds.Min || frameLength - 1 > bounds.Max)
        {
            throw new ArgumentException($"{message.Type} payload of {frameLength - 1} bytes is outside the protocol's limits", nameof(message));
        }

        return frameLength;
    }

    /// <summary>Length prefix, type, fixed part and (when <paramref name="withBody"/>) the body, into <paramref name="target"/>.</summary>
    private static void Encode(PeerMessage message, long frameLength, Span<byte> target, bool withBody)
    {
        BinaryPrimitives.WriteUInt32BigEndian(target, (uint)frameLength);
        target[FrameLimits.LengthPrefix] = (byte)message.Type;
        message.WriteFixed(target.Slice(FrameLimits.HeaderLength, message.FixedLength));
        if (withBody)
        {
            message.Body.Span.CopyTo(target[(FrameLimits.HeaderLength + message.FixedLength)..]);
        }
    }

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
