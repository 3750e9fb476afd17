using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Dht;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Downloader.HolderSources;

namespace P2PShare.Peer.Node;

/// <summary>
/// The peer's Kademlia DHT node (docs/features/dht-kademlia.md): joins through the routing table saved in state.db,
/// the <c>-bootstrap</c> nodes and the peers the tracker lists (DhtService.Join.cs), announces every file the peer
/// holds (shares and finished downloads) and announces each again before the DHT forgets it. The DHT never stops the
/// node: a UDP port that cannot be bound leaves the peer running without it.
/// </summary>
internal sealed partial class DhtService : IAsyncDisposable
{
    /// <summary>Announcements last 30 minutes in the DHT; renewing every 20 leaves room for a slow lookup.</summary>
    public static readonly TimeSpan ReannounceInterval = TimeSpan.FromMinutes(20);

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>While the routing table is empty the node tries to join this often, so the first contact is used at once.</summary>
    private static readonly TimeSpan JoinRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>The routing table is saved this often too, so a peer that is killed still rejoins from a recent one.</summary>
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(5);

    private readonly DhtNode _node;
    private readonly PeerIdentity _identity;
    private readonly int _p2pPort;
    private readonly Func<CancellationToken, Task<IReadOnlyList<string>>> _heldFiles;
    private readonly DhtJoinSources _join;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _announced = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private DhtService(DhtNode node, PeerIdentity identity, int p2pPort, Func<CancellationToken, Task<IReadOnlyList<string>>> heldFiles,
        DhtJoinSources join, TimeProvider time, ILogger logger)
    {
        _node = node;
        _identity = identity;
        _p2pPort = p2pPort;
        _heldFiles = heldFiles;
        _join = join;
        _time = time;
        _logger = logger;
    }

    public DhtNode Node => _node;

    /// <summary>Starts the DHT node, or returns null (and logs why) when it is off or its UDP port cannot be bound.</summary>
    public static DhtService? TryStart(PeerOptions options, PeerIdentity identity, int p2pPort, Func<CancellationToken, Task<IReadOnlyList<string>>> heldFiles,
        DhtJoinSources join, TimeProvider time, ILogger logger)
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

        var service = new DhtService(node, identity, p2pPort, heldFiles, join, time, logger);
        service._loop = service.RunAsync(service._stop.Token);
        return service;
    }

    /// <summary>Announce now rather than at the next check: a file was shared or a download finished.</summary>
    public void Nudge() => Volatile.Read(ref _wake).TrySetResult();

    public DhtSnapshot Snapshot(HolderSourceStats holders)
    {
        var status = _node.Status;
        return new DhtSnapshot(status.NodeId, status.Port, status.RoutingTableSize, status.GoodNodes, status.Lookups, AnnouncedCount(),
            holders.Found, holders.ThroughDht, holders.OnlyThroughDht);
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
        long lastSave = _time.GetTimestamp();
        try
        {
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

                if (_time.GetElapsedTime(lastSave) >= SaveInterval)
                {
                    lastSave = _time.GetTimestamp();
                    await _join.Saved.SaveAsync(_node.RoutingTable.All(), ct);
                }

                await SleepAsync(_node.RoutingTable.Count == 0 ? JoinRetryInterval : CheckInterval, ct);
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

    /// <summary>Waits <paramref name="interval"/>, or less when <see cref="Nudge"/> is called.</summary>
    private async Task SleepAsync(TimeSpan interval, CancellationToken ct)
    {
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(interval, _time, stopDelay.Token);
        await Task.WhenAny(Volatile.Read(ref _wake).Task, delay);
        await stopDelay.CancelAsync();
        ct.ThrowIfCancellationRequested();
        if (_wake.Task.IsCompleted)
        {
            Volatile.Write(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _join.Saved.SaveAsync(_node.RoutingTable.All(), CancellationToken.None);
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
