using System.Globalization;

namespace P2PShare.Core.Throttling;

/// <summary>
/// Human byte rates: <c>10MB</c> (10,000,000 bytes/s), <c>512KiB</c> (524,288), <c>1.5GB/s</c>, plain numbers in
/// bytes, <c>0</c> for unlimited. Decimal units are powers of 1000, binary ones (KiB, MiB, GiB) of 1024.
/// </summary>
public static class ByteRate
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000),
        ("B", 1),
    ];

    /// <summary>Parses a rate in bytes per second; false with a message when the text is not one.</summary>
    public static bool TryParse(string? text, out long bytesPerSecond, out string? error)
    {
        bytesPerSecond = 0;
        error = null;
        string value = (text ?? "").Trim().ToUpperInvariant();
        if (value.EndsWith("/S", StringComparison.Ordinal))
        {
            value = value[..^2];
        }

        long factor = 1;
        foreach (var (suffix, unitFactor) in Units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = unitFactor;
                value = value[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number) || number < 0 || number * factor > long.MaxValue / 2)
        {
            error = $"'{text}' is not a byte rate (examples: 10MB, 512KiB, 0 for unlimited)";
            return false;
        }

        bytesPerSecond = (long)Math.Round(number * factor);
        return true;
    }

    public static long Parse(string text) => TryParse(text, out long rate, out string? error) ? rate : throw new FormatException(error);

    public static string Format(long bytesPerSecond) =>
        bytesPerSecond <= 0 ? "unlimited"
        : bytesPerSecond >= 1_000_000 ? $"{bytesPerSecond / 1e6:0.##} MB/s"
        : bytesPerSecond >= 1_000 ? $"{bytesPerSecond / 1e3:0.##} KB/s"
        : $"{bytesPerSecond} B/s";
}
