using System.Buffers;
using System.Text;

namespace P2PShare.Core.Protocol;

/// <summary>UTF-8 text fields with a byte limit: longer text is cut at a character boundary.</summary>
internal static class Utf8Text
{
    public static int EncodedLength(string text, int maxBytes)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        if (length <= maxBytes)
        {
            return length;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            return Write(text, scratch.AsSpan(0, maxBytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Writes as much of <paramref name="text"/> as fits whole characters into <paramref name="destination"/>.</summary>
    public static int Write(string text, Span<byte> destination)
    {
        var encoder = Encoding.UTF8.GetEncoder();
        encoder.Convert(text, destination, flush: true, out _, out int bytesUsed, out _);
        return bytesUsed;
    }

    /// <summary>Decodes received text; invalid sequences become U+FFFD (the text is informational only).</summary>
    public static string Read(ReadOnlySpan<byte> source) => Encoding.UTF8.GetString(source);
}
