using System.Buffers;
using System.Runtime.InteropServices;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>
/// Pooled buffers that received payloads are decoded from. A Piece's payload is placed so that its chunk bytes start
/// on a 4 KiB boundary: the receiver can then write the chunk to disk with direct I/O from this very buffer, without
/// another copy. (Pooled arrays of this size live on the large-object heap, which the runtime does not move; the
/// writer still checks the address while the buffer is pinned.)
/// </summary>
internal static class PayloadBuffer
{
    public const int PieceDataAlignment = 4096;

    /// <summary>Rents an array for a payload of <paramref name="length"/> bytes and returns where in it the payload goes.</summary>
    public static byte[] Rent(MessageType type, int length, out Memory<byte> payload)
    {
        if (type != MessageType.Piece)
        {
            var array = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            payload = array.AsMemory(0, length);
            return array;
        }

        var pieceArray = ArrayPool<byte>.Shared.Rent(length + PieceDataAlignment);
        long dataAddress = Marshal.UnsafeAddrOfPinnedArrayElement(pieceArray, 0) + FileIndexLayout.Length;
        int start = (int)((PieceDataAlignment - (dataAddress % PieceDataAlignment)) % PieceDataAlignment);
        payload = pieceArray.AsMemory(start, length);
        return pieceArray;
    }
}
