using System.Net;
using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Core.Throttling;
using P2PShare.Core.TrackerApi;
using P2PShare.Net.Relay;
using P2PShare.Net.Tcp;
using P2PShare.Peer.Client;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Connection;
using P2PShare.Peer.Downloader;
using P2PShare.Peer.Downloader.HolderSources;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Node;

/// <summary>
/// One running peer: identity, state, the P2P server, tracker presence, shares, downloads and the control API.
/// Built and torn down in dependency order; every part that owns a socket or file is disposed here.
/// </summary>
internal sealed class PeerNode : IAsyncDisposable
{
    /// <summary>Relayed tunnels all come from the tracker's address, so they get a handshake budget of their own.</summary>
    private const int MaxPendingRelayHandshakes = 16;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private FolderWatcher? _watcher;
    private Task _watcherPump = Task.CompletedTask;
    private TrackerPresence? _presence;
    private RelayClient? _relay;
    private HttpMessageInvoker? _relayInvoker;
    private DhtService? _dht;
    private HolePunchSetup? _punch;

    private PeerNode(PeerOptions options, TimeProvider time)
    {
        Options = options;
        _time = time;
        _startedAt = time.GetUtcNow();
        Paths = new PeerPaths(options.FullDataDir);
    }

    public PeerOptions Options { get; }

    public PeerPaths Paths { get; }

    public PeerIdentity Identity { get; private set; } = null!;

    public string PeerId => Identity.PeerId;

    public int P2pPort { get; private set; }

    public string ControlUrl { get; private set; } = "";

    public TrackerClient Tracker { get; private set; } = null!;

    public ShareService Shares { get; private set; } = null!;

    public DownloadManager Downloads { get; private set; } = null!;

    /// <summary>The tracker and the DHT as sources of holders, merged; its stats show the DHT's share.</summary>
    public HolderLists Holders { get; private set; } = null!;

    public ConnectionRegistry Connections { get; private set; } = null!;

    public BandwidthLimits Limits { get; private set; } = null!;

    /// <summary>
    /// Raised when the relay control socket to the tracker closes (a tracker restart, a network drop); it reconnects
    /// with back-off by itself.
    /// </summary>
    public event Action? RelayControlLost;

    /// <summary>True while the relay control socket to the tracker is open (always false with RELAY=off).</summary>
    public bool RelayConnected => _relay?.IsConnected ?? false;

    /// <summary>Every open peer connection: peer ID, path, round trip and bytes.</summary>
    public IReadOnlyList<ConnectionSnapshot> ConnectionList() => Connections.List();

    /// <summary>Starts a node and, alongside it, the control API that <paramref name="startControl"/> builds for it.</summary>
    public static async Task<PeerNode> StartAsync(
        PeerOptions options, Func<PeerNode, CancellationToken, Task<IControlApi>> startControl, ILoggerFactory logging, TimeProvider time, CancellationToken ct)
    {
        var node = new PeerNode(options, time);
        try
        {
            await node.InitializeAsync(startControl, logging, ct);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(Func<PeerNode, CancellationToken, Task<IControlApi>> startControl, ILoggerFactory logging, CancellationToken ct)
    {
        Paths.EnsureCreated();
        var db = Own(StateDatabase.Open(Paths, _time, logging.CreateLogger<StateDatabase>()));
        Identity = PeerIdentity.LoadOrCreate(Paths.IdentityKey);
        var index = await SharedFileIndex.OpenAsync(db, Paths, _time, ct);
        var downloadStore = await DownloadStore.OpenAsync(db, _time, logging.CreateLogger<DownloadStore>(), ct);
        var pin = Options.TrackerPin is null ? null : TrackerCertificatePin.Parse(Options.TrackerPin);
        Tracker = new TrackerClient(TrackerClient.CreateHttpClient(Options.TrackerUrl, Options.ApiKey, pin), pin);
        var announcer = new HolderAnnouncers(new TrackerAnnouncer(Tracker, () => _presence, PeerId, logging.CreateLogger<TrackerAnnouncer>()), () => _dht);
        Shares = new ShareService(index, announcer);
        Connections = new ConnectionRegistry(_time, Options.MaxLinks);

        var directory = new LinkDirectory();
        var holdings = new LocalHoldings(index, downloadStore, new ChunkSource(Paths, index, downloadStore), _time);
        Limits = new BandwidthLimits(Options.LimitUp, Options.LimitDown, _time);
        var links = new LinkFactory(Identity, holdings, directory, Connections, Limits, Options.Port, _time, logging);
        links.SharedFileChanged += path => _ = Shares.RecheckAsync(path, _stop.Token);
        if (Options.PrivateNetwork)
        {
            links.AcceptInitiator = new RegisteredPeerCheck(Tracker, _time, logging.CreateLogger<RegisteredPeerCheck>()).IsRegisteredAsync;
        }

        var tcp = TcpPeerTransport.Start(IPAddress.Parse(Options.ListenHost), Options.Port);
        P2pPort = tcp.LocalEndPoint.Port;
        links.ListenPort = P2pPort;
        Own(new PeerServer(tcp, links, directory, logging.CreateLogger<PeerServer>()));
        var relayTransport = Options.Relay ? new RelayPeerTransport(CreateRelayClient(pin)) : null;
        _punch = _relay is null ? null : HolePunchSetup.TryStart(_relay, PeerId, () => _presence?.Token, Options.TrackerUrl, _time, logging);
        var plan = new DialPlan(tcp, () => relayTransport, new DialTimeouts(), () => _punch?.Transport);
        var manager = Own(new ConnectionManager(links, directory, plan, _time, logging.CreateLogger<ConnectionManager>(), punchDelay: Options.PunchDelay));
        manager.PathMoved += _ => _presence?.ReportSoon();

        Holders = new HolderLists([new TrackerHolderSource(Tracker), new DhtHolderSource(() => _dht?.Node, _time)], _time);
        var manifests = new ManifestFromHolders(Holders, manager, PeerId);
        var context = new DownloadContext(PeerId, Tracker, announcer, Holders, manifests, manager, directory, index, Options.Downloads, _time, logging.CreateLogger<DownloadManager>());
        Downloads = Own(new DownloadManager(Paths, downloadStore, context));
        var dhtJoin = new DhtJoinSources(new ContactStore(db), Options.DhtBootstrap, new TrackerDhtNodes(Tracker, PeerId).ListAsync);
        _dht = DhtService.TryStart(Options, Identity, Options.AdvertisePort > 0 ? Options.AdvertisePort : P2pPort, HeldFileIdsAsync, dhtJoin, _time, logging.CreateLogger<DhtService>());
        if (_dht is not null)
        {
            Own(_dht);
        }

        // The control API starts while the node registers with the tracker (both mostly wait or warm up); both
        // finish before a failure of either leaves, so a control server that started is stopped with the node.
        // control.json is written only when the node is ready, so one-shot verbs never find it half started.
        _presence = Own(new TrackerPresence(Tracker, Identity, Registration, AnnounceEverythingAsync, _time, logging.CreateLogger<TrackerPresence>(), TrafficReport));
        if (_punch is not null)
        {
            Own(_punch);
            _presence.Registered += _punch.OnRegistered;
        }

        var controlStart = startControl(this, ct);
        try
        {
            await Task.WhenAll(controlStart, JoinAsync(ct));
        }
        finally
        {
            if (controlStart.IsCompletedSuccessfully)
            {
                Own(controlStart.Result);
            }
        }

        var control = controlStart.Result;
        if (relayTransport is not null)
        {
            // After registration: the relay authenticates the control socket with the token it gave.
            _relay!.Start();
            Own(new PeerServer(relayTransport, links, directory, logging.CreateLogger<PeerServer>(), new PendingHandshakes(MaxPendingRelayHandshakes, MaxPendingRelayHandshakes)));
            if (_punch is not null)
            {
                Own(new PeerServer(_punch.Transport, links, directory, logging.CreateLogger<PeerServer>()));
            }
        }

        if (Options.Daemon)
        {
            _watcher = Own(new FolderWatcher(Paths, index, new FolderWatcherOptions { RescanInterval = Options.RescanInterval }, _time, logging.CreateLogger<FolderWatcher>()));
            _watcher.Start();
            _watcherPump = PumpFolderChangesAsync(_watcher, _stop.Token);
        }

        control.Publish();
        ControlUrl = control.Url;
    }

    private RelayClient CreateRelayClient(TrackerCertificatePin? pin)
    {
        var handler = new SocketsHttpHandler();
        if (pin is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = pin.Validate;
        }

        var invoker = new HttpMessageInvoker(handler);
        _relay = new RelayClient(
            new RelayClientOptions { Tracker = Options.TrackerUrl, PeerId = PeerId, Token = () => _presence?.Token, ApiKey = Options.ApiKey, Invoker = invoker },
            _time);
        _relay.ControlLost += () =>
        {
            // The usual cause is a restarted tracker, which has forgotten us: register again now, not at the next heartbeat.
            _presence?.RequestReregister();
            RelayControlLost?.Invoke();
        };
        _relayInvoker = invoker;
        return Own(_relay);
    }

    /// <summary>Registers with the tracker, then resumes the downloads that were active.</summary>
    private async Task JoinAsync(CancellationToken ct)
    {
        await _presence!.StartAsync(ct);
        await Downloads.ResumeAllAsync(ct);
    }

    public NodeSnapshot Snapshot() => new(
        PeerId,
        Paths.DataDir,
        P2pPort,
        Options.TrackerUrl,
        _presence?.Connected ?? false,
        Shares.Count,
        Downloads.ActiveCount,
        Connections.Count,
        Connections.TotalBytesUp,
        Connections.TotalBytesDown,
        _time.GetUtcNow() - _startedAt,
        _dht?.Snapshot(Holders.Stats),
        _punch?.Snapshot());

    /// <summary>What this node announces to the DHT: its shares and its finished downloads.</summary>
    private async Task<IReadOnlyList<string>> HeldFileIdsAsync(CancellationToken ct)
    {
        var shared = (await Shares.ListAsync(ct)).Select(f => f.FileId);
        var finished = Downloads.List().Where(d => d.State == DownloadState.Completed).Select(d => d.FileId);
        return shared.Concat(finished).Distinct().ToList();
    }

    private RegisterRequest Registration() => new()
    {
        PeerId = PeerId,
        PublicKey = Convert.ToHexStringLower(Identity.PublicKey.Span),
        Port = Options.AdvertisePort > 0 ? Options.AdvertisePort : P2pPort,
        LanAddresses = LocalAddresses.Find(),
        AcceptsRelay = Options.Relay,
        DhtPort = _dht?.Node.LocalEndPoint.Port ?? 0,
        UdpPort = _punch?.LocalPort ?? 0,
        Name = Options.Name,
        Version = typeof(PeerNode).Assembly.GetName().Version?.ToString(),
    };

    private async Task AnnounceEverythingAsync(CancellationToken ct)
    {
        await Shares.AnnounceAllAsync(ct);
        await Downloads.AnnounceAllAsync(ct);
    }

    private async Task PumpFolderChangesAsync(FolderWatcher watcher, CancellationToken ct)
    {
        try
        {
            await foreach (var change in watcher.Changes.ReadAllAsync(ct))
            {
                await Shares.ApplyAsync(change, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watcherPump;
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _relayInvoker?.Dispose();
        Identity?.Dispose();
        _stop.Dispose();
    }

    /// <summary>This node's counters and connections for the tracker's heartbeat (connections not yet identified are left out).</summary>
    private HeartbeatStats TrafficReport() => new(
        Connections.TotalBytesUp,
        Connections.TotalBytesDown,
        [.. Connections.List().Select(c => new ReportedConnection { PeerId = c.PeerId, Path = ConnectionPaths.Name(c.Path), RttMs = c.RttMs })]);
}
