using System.Buffers.Binary;

namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// Which chunks of a file the sender has: bit i (most significant bit first) of <see cref="Bits"/> is chunk i.
/// Payload: <c>file_id[32] | uint32 chunk_count | bits[ceil(chunk_count / 8)]</c>, spare bits zero. A received
/// Bitfield's bits live in the frame's pooled buffer until its FrameReadResult is disposed.
/// </summary>
public sealed record Bitfield(string FileId, int ChunkCount, ReadOnlyMemory<byte> Bits) : PeerMessage
{
    internal const int HeaderLength = WireIds.FileIdLength + 4;

    public override MessageType Type => MessageType.Bitfield;

    internal override int FixedLength => HeaderLength;

    internal override ReadOnlyMemory<byte> Body => Bits;

    /// <summary>Bytes of bits for <paramref name="chunkCount"/> chunks.</summary>
    public static int BitsLength(int chunkCount) => (int)(((long)chunkCount + 7) / 8);

    /// <summary>Builds the bits from a predicate over chunk indexes.</summary>
    public static Bitfield Create(string fileId, int chunkCount, Func<int, bool> hasChunk)
    {
        var bits = new byte[BitsLength(chunkCount)];
        for (int i = 0; i < chunkCount; i++)
        {
            if (hasChunk(i))
            {
                bits[i >> 3] |= (byte)(0x80 >> (i & 7));
            }
        }

        return new Bitfield(fileId, chunkCount, bits);
    }

    public bool Has(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChunkCount);
        return (Bits.Span[index >> 3] & (0x80 >> (index & 7))) != 0;
    }

    internal override void WriteFixed(Span<byte> destination)
    {
        if (ChunkCount < 0 || Bits.Length != BitsLength(ChunkCount))
        {
            throw new ArgumentException($"{Bits.Length} bytes of bits do not describe {ChunkCount} chunks");
        }

        WireIds.WriteFileId(FileId, destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireIds.FileIdLength..], (uint)ChunkCount);
    }

    internal static Bitfield? Decode(ReadOnlyMemory<byte> payload, out string? error)
    {
        var span = payload.Span;
        if (!FileIndexLayout.TryReadIndex(span[WireIds.FileIdLength..], "chunk count", out int count, out error))
        {
            return null;
        }

        var bits = payload[HeaderLength..];
        if (bits.Length != BitsLength(count))
        {
            error = $"Bitfield for {count} chunks needs {BitsLength(count)} bytes of bits, found {bits.Length}";
            return null;
        }

        if (count % 8 != 0 && (bits.Span[^1] & (0xFF >> (count % 8))) != 0)
        {
            error = "Bitfield has spare bits set past the last chunk";
            return null;
        }

        return new Bitfield(WireIds.ReadFileId(span), count, bits);
    }
}
