using P2PShare.Core.Protocol.Framing;

namespace P2PShare.Peer.P2P;

/// <summary>A received chunk still in the frame's pooled buffer; whoever holds it last disposes it, returning the buffer.</summary>
internal sealed class PieceData(FrameReadResult frame, ReadOnlyMemory<byte> data) : IDisposable
{
    public int Length => data.Length;

    public ReadOnlyMemory<byte> Memory => data;

    public void Dispose() => frame.Dispose();
}
