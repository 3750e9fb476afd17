using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Control;
using P2PShare.Peer.Node;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Cli;

/// <summary>Starts a node in this process, or finds the one already running on the same data dir.</summary>
internal static class NodeHost
{
    public static ILoggerFactory CreateLogging(bool interactive)
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("LOG_LEVEL"), ignoreCase: true, out var parsed)
            ? parsed
            : interactive ? LogLevel.Warning : LogLevel.Information;
        return LoggerFactory.Create(b => b
            .SetMinimumLevel(level)
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            // With a shell or a one-shot verb, standard output is the command's own (tables, --json); logs go beside it.
            .AddConsole(o => o.LogToStandardErrorThreshold = interactive ? LogLevel.Trace : LogLevel.None)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning));
    }

    /// <summary>A client for the node already running on this data dir, or null when there is none.</summary>
    public static ControlClient? FindRunning(PeerOptions options)
    {
        var endpoint = ControlEndpointFile.ReadLive(new PeerPaths(options.FullDataDir).StateDir);
        return endpoint is null ? null : new ControlClient(endpoint);
    }

    /// <summary>Starts a node and prints its ready line to <paramref name="announce"/>; a busy port is reported by address and port.</summary>
    public static async Task<PeerNode> StartAsync(PeerOptions options, ILoggerFactory logging, TextWriter announce, CancellationToken cancellationToken)
    {
        PeerNode node;
        try
        {
            node = await PeerNode.StartAsync(options, ControlServer.StartForAsync, logging, TimeProvider.System, cancellationToken);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new ArgumentException($"cannot listen for peers on {options.ListenHost}:{options.Port}: the address is already in use (choose another -port, or 0 for any free port)", ex);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new ArgumentException($"cannot open the control API on {options.ApiAddr}: the address is already in use (choose another -api-addr, or port 0)", ex);
        }

        announce.WriteLine($"peer {node.PeerId} ready: p2p port {node.P2pPort}, control {node.ControlUrl}, data {options.FullDataDir}");
        return node;
    }
}
