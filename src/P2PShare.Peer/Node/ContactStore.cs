using System.Globalization;
using System.Net;

namespace P2PShare.Peer.Node;

/// <summary>
/// The DHT contacts a peer saves when it stops (<c>.p2pshare/dht-nodes.txt</c>, one <c>address port</c> a line),
/// so a restarted peer rejoins without the tracker or a bootstrap node. Unreadable lines are skipped.
/// </summary>
internal static class ContactStore
{
    public static async Task<IReadOnlyList<IPEndPoint>> LoadAsync(string path, int max, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var endPoints = new List<IPEndPoint>();
        foreach (var line in lines.Take(max))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && IPAddress.TryParse(parts[0], out var address)
                && ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) && port != 0)
            {
                endPoints.Add(new IPEndPoint(address, port));
            }
        }

        return endPoints;
    }

    public static async Task SaveAsync(string path, IEnumerable<Dht.Contact> contacts, CancellationToken ct)
    {
        var lines = contacts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.EndPoint.Address} {c.EndPoint.Port}")).ToList();
        if (lines.Count == 0)
        {
            return;
        }

        try
        {
            await File.WriteAllLinesAsync(path, lines, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Losing the saved contacts only means the next start joins through -bootstrap again.
        }
    }
}
