using System.Text.RegularExpressions;
using P2PShare.Core.Protocol;

namespace P2PShare.Core.Tests.Protocol;

/// <summary>docs/protocol.md is the byte-level spec; its ID tables must match the one C# file defining each.</summary>
public sealed partial class ProtocolDocTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "protocol.md"));

    [Fact]
    public void MessageTypeTable_MatchesTheEnum() => AssertTableMatches<MessageType>("### 1.6 Message types");

    [Fact]
    public void ErrorCodeTable_MatchesTheEnum() => AssertTableMatches<ErrorCode>("### 1.10 Error codes");

    [Fact]
    public void RejectReasonTable_MatchesTheEnum() => AssertTableMatches<RejectReason>("### 1.11 Reject reasons");

    private static void AssertTableMatches<TEnum>(string heading)
        where TEnum : struct, Enum
    {
        int start = Document.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/protocol.md has no section '{heading}'");
        int end = Document.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        var section = Document[start..(end < 0 ? Document.Length : end)];
        var documented = TableRow().Matches(section)
            .Select(m => (Value: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Name: m.Groups[2].Value))
            .ToList();
        var actual = Enum.GetValues<TEnum>().Select(v => (Value: Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), Name: v.ToString())).ToList();
        Assert.Equal(actual, documented);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "P2PShare.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("P2PShare.slnx not found above the test binaries");
    }

    [GeneratedRegex(@"^\| (\d+) \| `(\w+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
