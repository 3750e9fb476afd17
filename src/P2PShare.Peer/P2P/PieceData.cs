using System.Buffers;

namespace P2PShare.Peer.P2P;

/// <summary>A received chunk in a pooled buffer; whoever holds it last disposes it, returning the buffer.</summary>
internal sealed class PieceData(byte[] buffer, int offset, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public int Length { get; } = length;

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PieceData))).AsMemory(offset, Length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
