using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>Tables and one-line summaries shared by the shell and the one-shot verbs.</summary>
internal static class ConsoleViews
{
    public static void NetworkFiles(CliOutput output, IReadOnlyList<FileSummary> files, string? query)
    {
        if (files.Count == 0)
        {
            output.Line(string.IsNullOrEmpty(query)
                ? "[grey]no files shared on the network yet[/]"
                : $"[grey]no file on the network has a name containing '{Markup.Escape(query)}'[/]");
            return;
        }

        output.Rows(
            ["hash", "name", "size", "chunks", "holders", "seeders"],
            files.Select(f => new[] { f.Hash, f.Name, Bytes(f.Size), f.ChunkCount.ToString(), f.Holders.ToString(), f.Seeders.ToString() }));
    }

    public static void Status(CliOutput output, NodeStatus s, IReadOnlyList<ConnectionView> connections, IReadOnlyList<DownloadView> downloads)
    {
        output.Pairs(
        [
            ("peer id", s.PeerId),
            ("data dir", Markup.Escape(s.DataDir)),
            ("p2p port", s.P2pPort.ToString()),
            ("tracker", $"{Markup.Escape(s.Tracker)} ({(s.TrackerConnected ? "[green]connected[/]" : "[red]unreachable[/]")})"),
            ("shared files", s.SharedFiles.ToString()),
            ("connections", s.Connections.ToString()),
            ("traffic", $"up {Bytes(s.BytesUp)}, down {Bytes(s.BytesDown)}"),
            ("hole punch", s.HolePunch is { } h ? $"UDP {h.UdpPort}, public {h.PublicEndpoint ?? "not yet known"}, NAT mapping {h.NatMapping}" : "off"),
            ("dht", s.Dht is { } d ? $"node {d.NodeId} on UDP {d.Port}, {d.RoutingTableSize} contacts ({d.GoodNodes} good), {d.Lookups} lookups, {d.AnnouncedFiles} files announced, {HolderShare(d)}" : "off"),
        ]);
        if (connections.Count > 0)
        {
            Connections(output, connections);
        }

        Downloads(output, downloads);
    }

    public static void Downloads(CliOutput output, IReadOnlyList<DownloadView> downloads)
    {
        if (downloads.Count == 0)
        {
            return;
        }

        output.Rows(
            ["hash", "name", "state", "progress", "speed", "peers"],
            downloads.Select(d => new[] { d.Hash, d.Name, d.State, $"{Percent(d)}% of {Bytes(d.Size)}", Bytes((long)d.RateBytesPerSecond) + "/s", d.Peers.ToString() }));
    }

    public static void Connections(CliOutput output, IReadOnlyList<ConnectionView> connections)
    {
        if (connections.Count == 0)
        {
            output.Line("[grey]no peer connections[/]");
            return;
        }

        output.Rows(
            ["peer", "address", "path", "rtt", "direction", "up", "down"],
            connections.Select(c => new[] { c.PeerId, c.Address, c.Path, c.RttMs is int rtt ? $"{rtt} ms" : "-", c.Direction, Bytes(c.BytesUp), Bytes(c.BytesDown) }));
    }

    public static string Percent(DownloadView d) => d.ChunkCount == 0 ? "100" : (100.0 * d.VerifiedChunks / d.ChunkCount).ToString("0.0");

    /// <summary>"12 of 20 holders found through the DHT (3 only there)", or that no lookup ran yet.</summary>
    public static string HolderShare(DhtView d) => d.HoldersFound == 0
        ? "no holders looked up yet"
        : $"{d.HoldersThroughDht} of {d.HoldersFound} holders found through the DHT ({d.DhtShare:P0}; {d.HoldersOnlyThroughDht} only there)";

    public static string Peers(int count) => count == 1 ? "1 peer" : $"{count} peers";

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}" : $"{span.Minutes}:{span.Seconds:00}";

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value:0.0} {units[unit]}";
    }
}
