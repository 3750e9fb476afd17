using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>Tables and one-line summaries shared by the shell and the one-shot verbs.</summary>
internal static class ConsoleViews
{
    public static void NetworkFiles(IAnsiConsole console, FileListResponse files)
    {
        if (files.Files.Count == 0)
        {
            console.MarkupLine("[grey]no files shared on the network yet[/]");
            return;
        }

        Rows(
            console,
            ["hash", "name", "size", "chunks", "holders", "seeders"],
            files.Files.Select(f => new[] { f.Hash, f.Name, Bytes(f.Size), f.ChunkCount.ToString(), f.Holders.ToString(), f.Seeders.ToString() }));
    }

    public static void Status(IAnsiConsole console, NodeStatus s, IReadOnlyList<DownloadView> downloads)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("peer id", s.PeerId);
        grid.AddRow("data dir", Markup.Escape(s.DataDir));
        grid.AddRow("p2p port", s.P2pPort.ToString());
        grid.AddRow("tracker", $"{Markup.Escape(s.Tracker)} ({(s.TrackerConnected ? "[green]connected[/]" : "[red]unreachable[/]")})");
        grid.AddRow("shared files", s.SharedFiles.ToString());
        grid.AddRow("connections", s.Connections.ToString());
        grid.AddRow("traffic", $"up {Bytes(s.BytesUp)}, down {Bytes(s.BytesDown)}");
        console.Write(grid);
        Downloads(console, downloads);
    }

    public static void Downloads(IAnsiConsole console, IReadOnlyList<DownloadView> downloads)
    {
        if (downloads.Count == 0)
        {
            return;
        }

        Rows(
            console,
            ["hash", "name", "state", "progress", "speed", "peers"],
            downloads.Select(d => new[] { d.Hash, d.Name, d.State, $"{Percent(d)}% of {Bytes(d.Size)}", Bytes((long)d.RateBytesPerSecond) + "/s", d.Peers.ToString() }));
    }

    public static void Connections(IAnsiConsole console, IReadOnlyList<ConnectionView> connections)
    {
        if (connections.Count == 0)
        {
            console.MarkupLine("[grey]no peer connections[/]");
            return;
        }

        Rows(
            console,
            ["peer", "address", "transport", "direction", "up", "down"],
            connections.Select(c => new[] { c.PeerId, c.Address, c.Transport, c.Direction, Bytes(c.BytesUp), Bytes(c.BytesDown) }));
    }

    /// <summary>A table on a terminal; tab-separated lines with a header when output goes to a pipe or file, so scripts can cut it.</summary>
    private static void Rows(IAnsiConsole console, string[] headers, IEnumerable<string[]> rows)
    {
        if (Console.IsOutputRedirected)
        {
            console.WriteLine(string.Join('\t', headers));
            foreach (var row in rows)
            {
                console.WriteLine(string.Join('\t', row));
            }

            return;
        }

        var table = new Table().AddColumns(headers.Select(h => new TableColumn(h).NoWrap()).ToArray());
        foreach (var row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        console.Write(table);
    }

    public static string Percent(DownloadView d) => d.ChunkCount == 0 ? "100" : (100.0 * d.VerifiedChunks / d.ChunkCount).ToString("0.0");

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
