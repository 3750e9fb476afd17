using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker;

/// <summary>
/// A bad flag in one line, exit code 2, as for a bad environment variable. A numeric flag whose text is not a
/// number never reaches <see cref="TrackerOptionsReader"/> (the parser rejects it first), so its text is checked the
/// way the reader checks the flag's variable, and the message gives the same expected form and range:
/// <c>invalid value 'abc' for -max-body-bytes: expected a whole number from 1024 to 1073741824</c>.
/// </summary>
internal static class FlagErrors
{
    /// <summary>Lets every numeric option accept any text, so the reader (not the parser) judges it.</summary>
    public static void CheckAll(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            switch (option)
            {
                case Option<int?> { CustomParser: null } number:
                    number.CustomParser = result => (int?)Parse(result, option, int.MinValue, int.MaxValue);
                    break;
                case Option<long?> { CustomParser: null } number:
                    number.CustomParser = result => Parse(result, option, long.MinValue, long.MaxValue);
                    break;
            }
        }
    }

    public static string? FirstError(ParseResult parseResult) => parseResult.Errors.Count == 0 ? null : parseResult.Errors[0].Message;

    private static long? Parse(ArgumentResult result, Option option, long min, long max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[^1].Value;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError(Describe(option, text));
        return null;
    }

    private static string Describe(Option option, string text)
    {
        string flag = option.Aliases.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? option.Name;
        string variable = SettingReader.VariableFor(option.Name);
        Func<string, string?> onlyThis = name => name == variable ? text : null;
        if ((!TrackerOptionsReader.TryRead(new TrackerOptionsReader.Flags(), onlyThis, out _, out string? error)
                || !Relay.RelayOptionsReader.TryRead(new Relay.RelayOptionsReader.Flags(), onlyThis, out _, out error))
            && error is not null && error.Contains($" for {variable}:", StringComparison.Ordinal))
        {
            return error.Replace($" for {variable}:", $" for {flag}:", StringComparison.Ordinal);
        }

        return $"invalid value '{text}' for {flag}: expected a whole number";
    }
}
