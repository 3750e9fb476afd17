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
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning));
    }

    /// <summary>A client for the node already running on this data dir, or null when there is none.</summary>
    public static ControlClient? FindRunning(PeerOptions options)
    {
        var endpoint = ControlEndpointFile.ReadLive(new PeerPaths(options.FullDataDir).StateDir);
        return endpoint is null ? null : new ControlClient(endpoint);
    }

    public static async Task<PeerNode> StartAsync(PeerOptions options, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var node = await PeerNode.StartAsync(options, logging, TimeProvider.System, cancellationToken);
        Console.Out.WriteLine($"peer {node.PeerId} ready: p2p port {node.P2pPort}, control {node.ControlUrl}, data {options.FullDataDir}");
        return node;
    }
}
