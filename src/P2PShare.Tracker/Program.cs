using System.CommandLine;
using P2PShare.Tracker;

// The web host handles SIGINT/SIGTERM itself (graceful shutdown with its own timeout), so System.CommandLine's
// 2-second termination handler is switched off rather than allowed to cut a shutdown short.
return await TrackerCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
