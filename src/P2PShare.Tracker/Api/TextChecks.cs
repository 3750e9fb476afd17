using P2PShare.Core.Hashing;

namespace P2PShare.Tracker.Api;

/// <summary>Small shared checks whose messages quote the offending value safely.</summary>
internal static class TextChecks
{
    public static bool HasControlCharacters(string value) => value.Any(char.IsControl);

    /// <summary>Null when <paramref name="hash"/> is 64 hex characters, otherwise the message to send.</summary>
    public static string? HashError(string field, string? hash) =>
        Sha256Hash.IsHex(hash) ? null : $"{field} must be 64 hex characters, got {Quote(hash)}";

    /// <summary>A value for an error message: quoted, shortened, control characters escaped.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        string shortened = value.Length <= 80 ? value : value[..80] + "…";
        return "'" + string.Concat(shortened.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "'";
    }
}
