using System.CommandLine;

namespace P2PShare.Peer.Cli;

/// <summary>The peer's command line: one verb per file in this folder, assembled here.</summary>
internal static class PeerCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("P2PShare peer: share files and download them from other peers.");
        root.Subcommands.Add(ManifestCommand.Create());
        return root;
    }
}
