namespace P2PShare.Core.Hashing;

/// <summary>Hex helpers for 32-byte SHA-256 values, always lowercase on output.</summary>
public static class Sha256Hash
{
    public const int Size = 32;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    /// <summary>True when <paramref name="hex"/> is exactly 64 hex digits (either case).</summary>
    public static bool IsHex([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? hex) => hex is { Length: Size * 2 } && hex.AsSpan().ContainsAnyExcept(HexDigits) is false;

    public static bool TryParse(string? hex, Span<byte> destination)
    {
        if (!IsHex(hex) || destination.Length < Size)
        {
            return false;
        }

        Convert.FromHexString(hex, destination, out _, out _);
        return true;
    }
}
