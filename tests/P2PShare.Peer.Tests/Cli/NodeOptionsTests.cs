using System.CommandLine;
using P2PShare.Peer.Cli;

namespace P2PShare.Peer.Tests.Cli;

/// <summary>
/// Every flag of the node, given a value it cannot use, ends in the same one line: the value, the flag as typed
/// and the form expected. A flag added without a case here fails <see cref="EveryFlagThatTakesAValue_HasABadValueCase"/>.
/// </summary>
public sealed class NodeOptionsTests
{
    /// <summary>Flags whose every value is usable (a directory name, a key, a switch).</summary>
    private static readonly string[] AnyValue = ["-data", "-api-key", "-daemon"];

    private static readonly (string Flag, string Value)[] Cases =
    [
        ("-port", "abc"),
        ("-tracker", "ftp://tracker.example"),
        ("-api-key-file", "/nonexistent/p2pshare-key"),
        ("-tracker-pin", "md5/abc"),
        ("-private", "maybe"),
        ("-relay", "sometimes"),
        ("-advertise-port", "0"),
        ("-api-addr", "10.0.0.1:7000"),
        ("-max-peers", "0"),
        ("-max-links", "65537"),
        ("-limit-up", "fast"),
        ("-limit-down", "lots"),
        ("-dht", "yes please"),
        ("-dht-port", "70000"),
        ("-bootstrap", "node-without-port"),
    ];

    public static TheoryData<string, string> BadValues => new(Cases);

    [Fact]
    public void EveryFlagThatTakesAValue_HasABadValueCase()
    {
        var covered = Cases.Select(c => c.Flag).Concat(AnyValue).Order();
        var flags = new NodeOptions().All.Select(FlagValues.DisplayName).Order();
        Assert.Equal(flags, covered);
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Flag_ValueItCannotUse_OneLineNamingTheValueTheFlagAndTheFormExpected(string flag, string value)
    {
        var options = new NodeOptions();
        var root = new RootCommand();
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        FlagValues.CheckAll(root);
        var parsed = root.Parse([flag, value]);
        string message = FlagValues.FirstError(parsed) ?? Assert.Throws<ArgumentException>(() => options.Resolve(parsed)).Message;

        Assert.StartsWith($"invalid value '{value}' for {flag}: expected ", message);
        Assert.DoesNotContain('\n', message);
    }
}
