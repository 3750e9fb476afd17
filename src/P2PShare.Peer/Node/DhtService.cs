using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Dht;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Control;

namespace P2PShare.Peer.Node;

/// <summary>
/// The peer's Kademlia DHT node (docs/features/dht-kademlia.md): joins through the <c>-bootstrap</c> nodes and the
/// contacts saved when it last stopped, announces every file the peer holds (shares and finished downloads) and
/// announces each again before the DHT forgets it. The DHT never stops the node: a UDP port that cannot be bound
/// leaves the peer running without it.
/// </summary>
internal sealed partial class DhtService : IAsyncDisposable
{
    /// <summary>Announcements last 30 minutes in the DHT; renewing every 20 leaves room for a slow lookup.</summary>
    public static readonly TimeSpan ReannounceInterval = TimeSpan.FromMinutes(20);

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);
    private const int MaxSavedContacts = 200;
    private const int MaxBootstrapEntries = 32;

    private readonly DhtNode _node;
    private readonly PeerIdentity _identity;
    private readonly int _p2pPort;
    private readonly Func<CancellationToken, Task<IReadOnlyList<string>>> _heldFiles;
    private readonly IReadOnlyList<string> _bootstrap;
    private readonly string _contactsFile;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _announced = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private DhtService(DhtNode node, PeerIdentity identity, int p2pPort, Func<CancellationToken, Task<IReadOnlyList<string>>> heldFiles,
        IReadOnlyList<string> bootstrap, string stateDir, TimeProvider time, ILogger logger)
    {
        _node = node;
        _identity = identity;
        _p2pPort = p2pPort;
        _heldFiles = heldFiles;
        _bootstrap = bootstrap;
        _contactsFile = Path.Combine(stateDir, "dht-nodes.txt");
        _time = time;
        _logger = logger;
    }

    public DhtNode Node => _node;

    /// <summary>Starts the DHT node, or returns null (and logs why) when it is off or its UDP port cannot be bound.</summary>
    public static DhtService? TryStart(PeerOptions options, PeerIdentity identity, int p2pPort, Func<CancellationToken, Task<IReadOnlyList<string>>> heldFiles,
        string stateDir, TimeProvider time, ILogger logger)
    {
        if (!options.Dht)
        {
            return null;
        }

        int port = options.DhtPort ?? p2pPort;
        DhtNode node;
        try
        {
            node = DhtNode.Start(NodeId.FromHex(identity.PeerId), new IPEndPoint(IPAddress.Parse(options.ListenHost), port), new DhtOptions(), time);
        }
        catch (SocketException ex)
        {
            Log.CannotBind(logger, port, ex.Message);
            return null;
        }

        var service = new DhtService(node, identity, p2pPort, heldFiles, options.DhtBootstrap, stateDir, time, logger);
        service._loop = service.RunAsync(service._stop.Token);
        return service;
    }

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

    public DhtView View()
    {
        var status = _node.Status;
        return new DhtView(status.NodeId, status.Port, status.RoutingTableSize, status.GoodNodes, status.Lookups, AnnouncedCount());
    }

    private int AnnouncedCount()
    {
        lock (_announced)
        {
            return _announced.Count;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await JoinAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                if (_node.RoutingTable.Count == 0)
                {
                    await JoinAsync(ct);
                }

                try
                {
                    await AnnounceDueAsync(ct);
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException)
                {
                    Log.AnnounceFailed(_logger, ex.Message);
                }

                await Task.Delay(CheckInterval, _time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The DHT is an extra source of holders; its failure must not take the node down with it.
            Log.Stopped(_logger, ex.Message);
        }
    }

    private async Task JoinAsync(CancellationToken ct)
    {
        var endPoints = new List<IPEndPoint>(await ContactStore.LoadAsync(_contactsFile, MaxSavedContacts, ct));
        foreach (var entry in _bootstrap)
        {
            endPoints.AddRange(await ResolveAsync(entry, ct));
        }

        int size = await _node.BootstrapAsync(endPoints, ct);
        Log.Joined(_logger, endPoints.Count, size);
    }

    /// <summary>Announces files never announced and those announced more than <see cref="ReannounceInterval"/> ago.</summary>
    private async Task AnnounceDueAsync(CancellationToken ct)
    {
        if (_node.RoutingTable.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var held = await _heldFiles(ct);
        List<string> due;
        lock (_announced)
        {
            foreach (var gone in _announced.Keys.Except(held).ToList())
            {
                _announced.Remove(gone);
            }

            due = held.Where(id => !_announced.TryGetValue(id, out var at) || now - at >= ReannounceInterval).ToList();
        }

        foreach (var fileId in due)
        {
            var result = await _node.AnnounceAsync(NodeId.FromHex(fileId), _identity.PublicKey, _p2pPort, ct);
            if (result.StoredAt > 0)
            {
                lock (_announced)
                {
                    _announced[fileId] = now;
                }
            }
        }
    }

    private async Task<IEnumerable<IPEndPoint>> ResolveAsync(string entry, CancellationToken ct)
    {
        int colon = entry.LastIndexOf(':');
        string host = entry[..colon].Trim('[', ']');
        int port = int.Parse(entry[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await ContactStore.SaveAsync(_contactsFile, _node.RoutingTable.All().Take(MaxSavedContacts), CancellationToken.None);
        await _node.DisposeAsync();
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "DHT off: cannot bind UDP port {Port}: {Reason} (choose another -dht-port, or -dht off)")]
        public static partial void CannotBind(ILogger logger, int port, string reason);

        [LoggerMessage(31, LogLevel.Information, "DHT joined through {Tried} nodes; routing table has {Size} contacts")]
        public static partial void Joined(ILogger logger, int tried, int size);

        [LoggerMessage(34, LogLevel.Error, "DHT stopped: {Reason}")]
        public static partial void Stopped(ILogger logger, string reason);

        [LoggerMessage(33, LogLevel.Warning, "DHT announce round failed: {Reason}")]
        public static partial void AnnounceFailed(ILogger logger, string reason);

        [LoggerMessage(32, LogLevel.Warning, "DHT bootstrap node {Entry} not found: {Reason}")]
        public static partial void CannotResolve(ILogger logger, string entry, string reason);
    }
}
