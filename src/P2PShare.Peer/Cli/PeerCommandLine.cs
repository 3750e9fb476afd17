using System.CommandLine;

namespace P2PShare.Peer.Cli;

/// <summary>The peer's command line: the node itself (no verb) and one-shot verbs for scripts.</summary>
internal static class PeerCommandLine
{
    public static RootCommand Build(Interrupts interrupts)
    {
        var options = new NodeOptions();
        var root = new RootCommand("P2PShare peer: share files and download them from other peers.\nWith no verb it runs a node: an interactive shell on a terminal, or -daemon to auto-share DATA_DIR.");
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        root.SetAction((parseResult, ct) => RunNodeCommand.RunAsync(options.Resolve(parseResult), interrupts, ct));
        root.Subcommands.Add(ManifestCommand.Create());
        foreach (var verb in OneShotCommands.Create(options))
        {
            root.Subcommands.Add(verb);
        }

        FlagValues.CheckAll(root);
        return root;
    }
}
