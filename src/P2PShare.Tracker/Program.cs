using System.CommandLine;
using P2PShare.Tracker;

// The web host handles SIGINT/SIGTERM itself (graceful shutdown with its own timeout), so System.CommandLine's
// 2-second termination handler is switched off rather than allowed to cut a shutdown short.
var parseResult = TrackerCommandLine.Build().Parse(args);
if (FlagErrors.FirstError(parseResult) is { } usage)
{
    // A bad flag: one line and exit code 2, as for a bad environment variable.
    await Console.Error.WriteLineAsync($"tracker: {usage} (see 'tracker --help')");
    return 2;
}

try
{
    return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // The port was taken between the check and the start.
    await Console.Error.WriteLineAsync($"tracker: {ex.Message}");
    return 2;
}
