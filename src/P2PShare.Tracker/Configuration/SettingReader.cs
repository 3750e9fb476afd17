using System.Globalization;
using P2PShare.Core.Throttling;

namespace P2PShare.Tracker.Configuration;

/// <summary>
/// One setting's value from its flag, else its environment variable, and the checks both readers share. Every
/// refusal names what the user typed (the flag, or the variable when the value came from there), the value and the
/// form expected: <c>invalid value 'abc' for -max-body-bytes: expected a whole number from 1024 to 1073741824</c>.
/// </summary>
internal static class SettingReader
{
    /// <summary>The text given for a setting and the name it was given under; Text is null when neither was set.</summary>
    public readonly record struct Setting(string? Text, string Name);

    public static Setting From(string? flag, string flagName, string variable, Func<string, string?> environment) =>
        flag is not null ? new Setting(flag, flagName) : new Setting(environment(variable), variable);

    /// <summary>Every numeric flag is named after its variable: MAX_BODY_BYTES is -max-body-bytes.</summary>
    public static string FlagFor(string variable) => "-" + variable.ToLowerInvariant().Replace('_', '-');

    public static string VariableFor(string flag) => flag.TrimStart('-').ToUpperInvariant().Replace('-', '_');

    public static string Invalid(string text, string name, string expected) => $"invalid value '{text}' for {name}: expected {expected}";

    public static bool TryInt(long? flag, string variable, Func<string, string?> environment, int min, int max, int fallback, out int value, ref string? error)
    {
        bool ok = TryLong(flag, variable, environment, min, max, fallback, out long wide, ref error);
        value = (int)wide;
        return ok;
    }

    /// <summary>A whole number from its flag (already parsed), else its variable, else <paramref name="fallback"/>.</summary>
    public static bool TryLong(long? flag, string variable, Func<string, string?> environment, long min, long max, long fallback, out long value, ref string? error)
    {
        string expected = $"a whole number from {min} to {max}";
        value = fallback;
        string? text = environment(variable);
        if (flag is long given)
        {
            value = given;
        }
        else if (text is not null && !long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = Invalid(text, variable, expected);
            return false;
        }

        if (value < min || value > max)
        {
            error = flag is not null ? Invalid(value.ToString(CultureInfo.InvariantCulture), FlagFor(variable), expected) : Invalid(text!, variable, expected);
            return false;
        }

        return true;
    }

    /// <summary>A byte rate such as 10MB; 0 (or nothing set) is unlimited.</summary>
    public static bool TryRate(Setting setting, out long rate, ref string? error)
    {
        rate = 0;
        if (setting.Text is null || ByteRate.TryParse(setting.Text, out rate, out _))
        {
            return true;
        }

        error = Invalid(setting.Text, setting.Name, "a byte rate such as 10MB or 512KiB, or 0 for unlimited");
        return false;
    }
}
