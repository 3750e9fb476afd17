using System.Globalization;

namespace P2PShare.Bench;

/// <summary>The <c>--name value</c> options the bench commands take.</summary>
internal static class BenchArgs
{
    public static long Option(string[] args, string name, long fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? long.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
