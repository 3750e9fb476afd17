using System.Net;
using P2PShare.Core.Crypto;
using P2PShare.Core.Throttling;
using P2PShare.Core.Transport;
using P2PShare.Net.Tcp;
using P2PShare.Peer.Connection;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;
using P2PShare.Peer.Tests.Storage;
using P2PShare.Testing;

namespace P2PShare.Peer.Tests.Connection;

/// <summary>
/// A node's connection side on real loopback sockets: a TCP listener for direct links, a second listener standing
/// in for the relay path (its connections are marked <see cref="ConnectionKind.Relay"/>), a third for the hole
/// punch (marked <see cref="ConnectionKind.HolePunch"/>; dialled only while <see cref="PunchEnabled"/>), servers on
/// all three, and a <see cref="ConnectionManager"/>.
/// </summary>
internal sealed class ManagerNode : IAsyncDisposable
{
    private readonly StorageFixture _storage;
    private readonly PeerServer _directServer;
    private readonly PeerServer _relayServer;
    private readonly PeerServer _punchServer;

    private ManagerNode(StorageFixture storage, LogCapture logs, Dictionary<string, int> relayPorts, int maxConnections, TimeProvider? managerTime, TimeSpan punchDelay)
    {
        _storage = storage;
        var time = TimeProvider.System;
        Directory = new LinkDirectory();
        Registry = new ConnectionRegistry(time, maxConnections);
        var holdings = new LocalHoldings(storage.Index, storage.Downloads, new ChunkSource(storage.Paths, storage.Index, storage.Downloads), time);
        Direct = TcpPeerTransport.Start(IPAddress.Loopback, 0);
        Relay = new PathStandIn(ConnectionKind.Relay, TcpPeerTransport.Start(IPAddress.Loopback, 0), relayPorts);
        Punch = new PathStandIn(ConnectionKind.HolePunch, TcpPeerTransport.Start(IPAddress.Loopback, 0), relayPorts);
        lock (relayPorts)
        {
            relayPorts[PathStandIn.Key(ConnectionKind.Relay, Identity.PeerId)] = Relay.Port;
            relayPorts[PathStandIn.Key(ConnectionKind.HolePunch, Identity.PeerId)] = Punch.Port;
        }

        var links = new LinkFactory(Identity, holdings, Directory, Registry, new BandwidthLimits(0, 0, time), Direct.LocalEndPoint.Port, time, logs);
        _directServer = new PeerServer(Direct, links, Directory, logs.CreateLogger("direct"));
        _relayServer = new PeerServer(Relay, links, Directory, logs.CreateLogger("relay"));
        _punchServer = new PeerServer(Punch, links, Directory, logs.CreateLogger("punch"));
        var plan = new DialPlan(Direct, () => RelayEnabled ? Relay : null, Timeouts, () => PunchEnabled ? Punch : null);
        Manager = new ConnectionManager(links, Directory, plan, managerTime ?? time, logs.CreateLogger("manager"), punchDelay: punchDelay);
    }

    public PeerIdentity Identity { get; } = PeerIdentity.Generate();

    public StorageFixture Storage => _storage;

    public LinkDirectory Directory { get; }

    public ConnectionRegistry Registry { get; }

    public TcpPeerTransport Direct { get; }

    public PathStandIn Relay { get; }

    public PathStandIn Punch { get; }

    public static DialTimeouts Timeouts { get; } = new() { Direct = TimeSpan.FromSeconds(5), HolePunch = TimeSpan.FromSeconds(5), Relay = TimeSpan.FromSeconds(5) };

    public bool PunchEnabled { get; set; }

    public ConnectionManager Manager { get; }

    public bool RelayEnabled { get; set; } = true;

    /// <summary>
    /// Nodes sharing <paramref name="relayPorts"/> reach each other's relay stand-in by peer ID. <paramref name="managerTime"/>
    /// drives only the connection manager (its idle sweep and dial timeouts); the links keep the system clock, so
    /// their own keep-alives and watchdogs do not fire when a test moves the manager's clock.
    /// </summary>
    public static async Task<ManagerNode> CreateAsync(
        LogCapture logs, Dictionary<string, int> relayPorts, CancellationToken ct, int maxConnections = ConnectionRegistry.DefaultMaxConnections, TimeProvider? managerTime = null, TimeSpan punchDelay = default) =>
        new(await StorageFixture.CreateAsync(ct), logs, relayPorts, maxConnections, managerTime, punchDelay);

    /// <summary>This node as the tracker would list it; <paramref name="port"/> overrides the advertised P2P port.</summary>
    public PeerContact Contact(int? port = null, bool acceptsRelay = true, ReadOnlyMemory<byte>? key = null) =>
        new(Identity.PeerId, key ?? Identity.PublicKey, "127.0.0.1", port ?? Direct.LocalEndPoint.Port, [], acceptsRelay);

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await _punchServer.DisposeAsync();
        await _relayServer.DisposeAsync();
        await _directServer.DisposeAsync();
        Identity.Dispose();
        await _storage.DisposeAsync();
    }

    /// <summary>
    /// The relay or hole-punch path for the manager: dials the other node's stand-in listener for that path (found by
    /// peer ID) and marks the connection with the path. The real relay and punch are tested with the tracker; here
    /// only the order, racing and switching of paths matter.
    /// </summary>
    internal sealed class PathStandIn(ConnectionKind kind, TcpPeerTransport tcp, Dictionary<string, int> portsByPeer) : IPeerTransport
    {
        public string Scheme => kind.ToString().ToLowerInvariant();

        public static string Key(ConnectionKind kind, string peerId) => $"{kind}:{peerId}";

        private int _dials;

        public int Dials => Volatile.Read(ref _dials);

        public int Port => tcp.LocalEndPoint.Port;

        public async ValueTask<IPeerConnection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _dials);
            int port;
            lock (portsByPeer)
            {
                port = portsByPeer[Key(kind, address.PeerId)];
            }

            return new Marked(kind, await tcp.ConnectAsync(new PeerAddress(address.PeerId, "127.0.0.1", port), cancellationToken));
        }

        public async ValueTask<IPeerConnection> AcceptAsync(CancellationToken cancellationToken) => new Marked(kind, await tcp.AcceptAsync(cancellationToken));

        public ValueTask DisposeAsync() => tcp.DisposeAsync();

        private sealed class Marked(ConnectionKind kind, IPeerConnection inner) : IPeerConnection
        {
            public Stream Stream => inner.Stream;

            public EndPoint? RemoteEndPoint => inner.RemoteEndPoint;

            public ConnectionKind Kind => kind;

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
