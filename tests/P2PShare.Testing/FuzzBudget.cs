using System.Globalization;

namespace P2PShare.Testing;

/// <summary>
/// How long each fuzz test runs: <see cref="DefaultSeconds"/> in <c>make test</c>, <c>FUZZ_SECONDS</c> when set
/// (<c>bench/fuzz.sh</c> sets a longer run). <c>FUZZ_SEED</c> replays one CsCheck seed printed by a failure.
/// </summary>
public static class FuzzBudget
{
    public const int DefaultSeconds = 2;

    public static int Seconds =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0
            ? seconds
            : DefaultSeconds;

    /// <summary>The seed to start from, or null for a fresh random one.</summary>
    public static string? Seed => Environment.GetEnvironmentVariable("FUZZ_SEED") is { Length: > 0 } seed ? seed : null;
}
