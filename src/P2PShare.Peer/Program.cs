using System.CommandLine;
using System.Runtime.InteropServices;
using P2PShare.Peer.Cli;

// Ctrl-C and SIGTERM cancel the token every verb runs with, and the node then shuts down in order (unregisters,
// closes links, flushes state) however long that takes; System.CommandLine's 2-second cut-off is switched off.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await PeerCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
