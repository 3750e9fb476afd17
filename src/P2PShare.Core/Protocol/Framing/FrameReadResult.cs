using System.Buffers;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>
/// One outcome of reading a frame. For Bitfield, Manifest and Piece the message's bytes live in a pooled buffer
/// that returns to the pool on <see cref="Dispose"/>; use them before disposing, or copy them.
/// </summary>
public sealed class FrameReadResult : IDisposable
{
    private byte[]? _lease;

    private FrameReadResult(FrameReadStatus status, PeerMessage? message, string? reason, byte[]? lease)
    {
        Status = status;
        Message = message;
        Reason = reason;
        _lease = lease;
    }

    public FrameReadStatus Status { get; }

    /// <summary>The message when <see cref="Status"/> is <see cref="FrameReadStatus.Message"/>.</summary>
    public PeerMessage? Message { get; }

    /// <summary>Why the connection should end, for Malformed and TransportFailed.</summary>
    public string? Reason { get; }

    internal static FrameReadResult EndOfStream { get; } = new(FrameReadStatus.EndOfStream, null, null, null);

    public void Dispose()
    {
        var lease = Interlocked.Exchange(ref _lease, null);
        if (lease is not null)
        {
            ArrayPool<byte>.Shared.Return(lease);
        }
    }

    internal static FrameReadResult Of(PeerMessage message, byte[]? lease) => new(FrameReadStatus.Message, message, null, lease);

    internal static FrameReadResult Malformed(string reason) => new(FrameReadStatus.Malformed, null, reason, null);

    internal static FrameReadResult Failed(string reason) => new(FrameReadStatus.TransportFailed, null, reason, null);
}
