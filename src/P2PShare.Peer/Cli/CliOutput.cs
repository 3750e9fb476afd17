using System.Text.Json;
using P2PShare.Peer.Control;
using Spectre.Console;

namespace P2PShare.Peer.Cli;

/// <summary>
/// Where the verbs write. On a terminal: Spectre tables, colours and live bars. To a pipe or file: plain lines
/// written as they are (never wrapped or padded to a width, whatever it is), rows tab-separated; JSON documents
/// with <c>--json</c>. Errors go to standard error either way.
/// </summary>
internal sealed class CliOutput(IAnsiConsole console, TextWriter plain, bool isTerminal)
{
    private static readonly JsonSerializerOptions Indented = new(ControlJson.Options) { WriteIndented = true };

    public static CliOutput ForProcess() => new(AnsiConsole.Console, System.Console.Out, !System.Console.IsOutputRedirected);

    public IAnsiConsole Console => console;

    public bool IsTerminal => isTerminal;

    /// <summary>One line of Spectre markup: coloured on a terminal, its plain text elsewhere.</summary>
    public void Line(string markup)
    {
        if (isTerminal)
        {
            console.MarkupLine(markup);
        }
        else
        {
            plain.WriteLine(Markup.Remove(markup));
        }
    }

    /// <summary>One line of text, shown as is.</summary>
    public void Text(string text) => Line(Markup.Escape(text));

    /// <summary>A whole JSON document (indented), for <c>--json</c>.</summary>
    public void Json<T>(T document) => plain.WriteLine(JsonSerializer.Serialize(document, Indented));

    /// <summary>One JSON value on one line, for JSON lines (progress).</summary>
    public void JsonLine<T>(T value)
    {
        plain.WriteLine(JsonSerializer.Serialize(value, ControlJson.Options));
        plain.Flush();
    }

    /// <summary>A table on a terminal; a header line and tab-separated rows otherwise, so scripts can cut them.</summary>
    public void Rows(string[] headers, IEnumerable<string[]> rows)
    {
        if (!isTerminal)
        {
            plain.WriteLine(string.Join('\t', headers));
            foreach (var row in rows)
            {
                plain.WriteLine(string.Join('\t', row.Select(Field)));
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

    /// <summary>Name and value pairs: a grid on a terminal, <c>name\tvalue</c> lines otherwise.</summary>
    public void Pairs(IEnumerable<(string Name, string Markup)> pairs)
    {
        if (!isTerminal)
        {
            foreach (var (name, value) in pairs)
            {
                plain.WriteLine($"{name}\t{Field(Spectre.Console.Markup.Remove(value))}");
            }

            return;
        }

        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in pairs)
        {
            grid.AddRow(name, value);
        }

        console.Write(grid);
    }

    /// <summary>A field never contains the separators of the plain format.</summary>
    private static string Field(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
