using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace P2PShare.Peer.Cli;

/// <summary>
/// How a flag's value is checked: a value that does not fit is reported as
/// <c>invalid value 'abc' for -port: expected a whole number from 0 to 65535</c>, and the program ends with exit
/// code 2 (see <see cref="FirstError"/>). Whole-number flags without their own range get the same wording.
/// </summary>
internal static class FlagValues
{
    public static string Expected(long min, long max) => $"a whole number from {min} to {max}";

    public static string Invalid(string text, string name, string expected) => $"invalid value '{text}' for {name}: expected {expected}";

    /// <summary>Gives <paramref name="option"/> a range; the value is checked when the command line is parsed.</summary>
    public static Option<int?> WholeNumber(this Option<int?> option, int min, int max)
    {
        option.CustomParser = result => (int?)Parse(result, option, min, max);
        return option;
    }

    /// <summary>Gives every whole-number option in the tree without a parser of its own the same clear error.</summary>
    public static void CheckAll(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int?> { CustomParser: null } number:
                    number.CustomParser = result => (int?)Parse(result, number, int.MinValue, int.MaxValue);
                    break;
                case Option<long?> { CustomParser: null } number:
                    number.CustomParser = result => Parse(result, number, long.MinValue, long.MaxValue);
                    break;
            }
        }

        foreach (var sub in command.Subcommands)
        {
            CheckAll(sub);
        }
    }

    /// <summary>The first thing wrong with the command line in one line, or null when there is none.</summary>
    public static string? FirstError(ParseResult parseResult) =>
        parseResult.Errors.Count == 0 ? null : parseResult.Errors[0].Message;

    /// <summary>The name a user types: one dash, as the README writes flags.</summary>
    public static string DisplayName(Option option) => option.Aliases.FirstOrDefault(a => a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal)) ?? option.Name;

    private static long? Parse(ArgumentResult result, Option option, long min, long max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[^1].Value;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            string expected = min == int.MinValue || min == long.MinValue ? "a whole number" : Expected(min, max);
            result.AddError(Invalid(text, DisplayName(option), expected));
            return null;
        }

        return value;
    }
}
