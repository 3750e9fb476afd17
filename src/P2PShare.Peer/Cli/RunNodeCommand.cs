using P2PShare.Peer.Configuration;
using P2PShare.Peer.Control;

namespace P2PShare.Peer.Cli;

/// <summary><c>peer</c> with no verb: runs a node until quit, Ctrl-C or SIGTERM.</summary>
internal static class RunNodeCommand
{
    public static async Task<int> RunAsync(PeerOptions options, Interrupts interrupts, CancellationToken cancellationToken)
    {
        if (NodeHost.FindRunning(options) is { } running)
        {
            running.Dispose();
            await Console.Error.WriteLineAsync($"error: a node is already running on {options.FullDataDir}");
            return 1;
        }

        using var logging = NodeHost.CreateLogging(interactive: !options.Daemon);
        await using var node = await NodeHost.StartAsync(options, logging, Console.Out, cancellationToken);
        if (options.Daemon)
        {
            await WaitForCancellationAsync(cancellationToken);
            return 0;
        }

        var output = CliOutput.ForProcess();
        var commands = new NodeCommands(new LocalNodeApi(node), output, inShell: true);
        var shell = new InteractiveShell(commands, output, Console.In, inputIsTerminal: !Console.IsInputRedirected, interrupts);
        // A console read may not observe cancellation, so Ctrl-C or SIGTERM wins the race against the shell.
        var shellRun = shell.RunAsync(cancellationToken);
        var stopped = WaitForCancellationAsync(cancellationToken);
        if (await Task.WhenAny(shellRun, stopped) == shellRun && !await shellRun)
        {
            await stopped;
        }

        return 0;
    }

    private static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
