using System.Globalization;
using System.Text;

namespace P2PShare.Core.Protocol;

/// <summary>
/// Makes text a remote peer chose (an Error's message, a Hello's agent) safe to log or show: control and format
/// characters (newlines, escape sequences, bidirectional overrides) become spaces, and the text is cut to
/// <see cref="MaxLength"/> characters. Every such field is cleaned here when it is decoded, so no caller forgets.
/// </summary>
public static class RemoteText
{
    public const int MaxLength = 200;

    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool cut = text.Length > MaxLength;
        var kept = cut ? text.AsSpan(0, MaxLength) : text.AsSpan();
        if (!cut && !kept.ContainsAnyExcept(SafeAscii))
        {
            return text;
        }

        var clean = new StringBuilder(kept.Length + 1);
        foreach (var rune in kept.ToString().EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            bool unsafeRune = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse;
            clean.Append(unsafeRune ? " " : rune.ToString());
        }

        return cut ? clean.Append('…').ToString() : clean.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> SafeAscii =
        System.Buffers.SearchValues.Create(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).ToArray());
}
