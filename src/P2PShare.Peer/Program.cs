using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using P2PShare.Core.Crypto;
using P2PShare.Peer.Cli;
using P2PShare.Peer.Storage;

// Ctrl-C and SIGTERM cancel the token every verb runs with, and the node then shuts down in order (unregisters,
// closes links, flushes state) however long that takes; System.CommandLine's 2-second cut-off is switched off.
// While the shell follows a download, Ctrl-C ends only the following (see Interrupts).
using var stop = new CancellationTokenSource();
var interrupts = new Interrupts(stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    interrupts.Interrupt();
});
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
try
{
    var parseResult = PeerCommandLine.Build(interrupts).Parse(args);
    if (FlagValues.FirstError(parseResult) is { } usage)
    {
        // A bad flag or argument: one line and exit code 2, like a bad environment variable.
        await Console.Error.WriteLineAsync($"error: {usage} (see 'peer --help')");
        return 2;
    }

    var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
    return await parseResult.InvokeAsync(configuration, stop.Token);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException or SocketException or StateDatabaseException or SecureChannelException)
{
    // Bad settings and an unusable data dir or port end with one clear line, not a stack trace.
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}
catch (P2PShare.Peer.Client.TrackerException ex)
{
    // The tracker refused this peer (no or a wrong API key): retrying cannot help.
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}
