using System.Buffers.Binary;

namespace P2PShare.Core.Protocol.Messages;

/// <summary>The <c>file_id[32] | uint32 index</c> layout shared by Have, Request, Cancel, ManifestRequest and Reject.</summary>
internal static class FileIndexLayout
{
    public const int Length = WireIds.FileIdLength + 4;

    public static void Write(string fileId, int index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        WireIds.WriteFileId(fileId, destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireIds.FileIdLength..], (uint)index);
    }

    /// <summary>Reads the two fields from the start of <paramref name="payload"/> (which the caller sized).</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out string fileId, out int index, out string? error)
    {
        fileId = WireIds.ReadFileId(payload);
        return TryReadIndex(payload[WireIds.FileIdLength..], "index", out index, out error);
    }

    /// <summary>A uint32 that must fit in an int (chunk indexes, counts and offsets do).</summary>
    public static bool TryReadIndex(ReadOnlySpan<byte> source, string name, out int value, out string? error)
    {
        uint raw = BinaryPrimitives.ReadUInt32BigEndian(source);
        if (raw > int.MaxValue)
        {
            value = 0;
            error = $"{name} {raw} is out of range";
            return false;
        }

        value = (int)raw;
        error = null;
        return true;
    }
}
