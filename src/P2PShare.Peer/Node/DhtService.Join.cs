using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace P2PShare.Peer.Node;

/// <summary>
/// Where a DHT node finds its first contacts: the routing table it saved in state.db, the <c>-bootstrap</c> entries
/// (<c>host:port</c>), and the DHT ports of the peers the tracker lists (asked at most every
/// <see cref="DhtService.TrackerNodesInterval"/>, and only while the routing table is empty).
/// </summary>
internal sealed record DhtJoinSources(
    ContactStore Saved,
    IReadOnlyList<string> Bootstrap,
    Func<CancellationToken, Task<IReadOnlyList<IPEndPoint>>> TrackerNodes);

internal sealed partial class DhtService
{
    public static readonly TimeSpan TrackerNodesInterval = TimeSpan.FromSeconds(30);

    private const int MaxBootstrapEntries = 32;

    private long _trackerAskedAt;

    /// <summary>Splits <c>host:port[,…]</c>; a malformed entry throws <see cref="ArgumentException"/> naming it.</summary>
    public static IReadOnlyList<string> ParseBootstrap(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var entries = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length > MaxBootstrapEntries)
        {
            throw new ArgumentException($"DHT_BOOTSTRAP lists {entries.Length} nodes; at most {MaxBootstrapEntries}");
        }

        foreach (var entry in entries)
        {
            int colon = entry.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(entry[(colon + 1)..], out ushort port) || port == 0)
            {
                throw new ArgumentException($"DHT_BOOTSTRAP entry '{entry}' is not host:port");
            }
        }

        return entries;
    }

    private async Task JoinAsync(CancellationToken ct)
    {
        var endPoints = new List<IPEndPoint>(await _join.Saved.LoadAsync(ct));
        foreach (var entry in _join.Bootstrap)
        {
            endPoints.AddRange(await ResolveAsync(entry, ct));
        }

        if (_trackerAskedAt == 0 || _time.GetElapsedTime(_trackerAskedAt) >= TrackerNodesInterval)
        {
            _trackerAskedAt = _time.GetTimestamp();
            endPoints.AddRange((await _join.TrackerNodes(ct)).Where(e => e.AddressFamily == _node.LocalEndPoint.AddressFamily));
        }

        if (endPoints.Count == 0)
        {
            return;
        }

        int size = await _node.BootstrapAsync(endPoints, ct);
        if (size > 0)
        {
            Log.Joined(_logger, endPoints.Count, size);
        }
    }

    private async Task<IEnumerable<IPEndPoint>> ResolveAsync(string entry, CancellationToken ct)
    {
        int colon = entry.LastIndexOf(':');
        string host = entry[..colon].Trim('[', ']');
        int port = int.Parse(entry[(colon + 1)..], CultureInfo.InvariantCulture);
        try
        {
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            return addresses.Where(a => a.AddressFamily == _node.LocalEndPoint.AddressFamily).Select(a => new IPEndPoint(a, port));
        }
        catch (SocketException ex)
        {
            Log.CannotResolve(_logger, entry, ex.Message);
            return [];
        }
    }
}
