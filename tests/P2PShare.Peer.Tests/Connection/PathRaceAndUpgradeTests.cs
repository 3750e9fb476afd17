using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Protocol;
using P2PShare.Core.TrackerApi;
using P2PShare.Core.Transport;
using P2PShare.Peer.Connection;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;
using P2PShare.Testing;

namespace P2PShare.Peer.Tests.Connection;

/// <summary>
/// Direct TCP and the hole punch raced, and a relayed peer moved to a punched link, on real loopback sockets
/// (<see cref="ManagerNode"/>: the punch and relay paths are stand-in listeners marked with their path).
/// </summary>
public sealed class PathRaceAndUpgradeTests
{
    private readonly LogCapture _logs = new();
    private readonly Dictionary<string, int> _ports = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetLinkAsync_DirectConnectNeverCompletes_PunchWinsBeforeTheDirectTimeout()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _ports, Ct);
        await using var b = await ManagerNode.CreateAsync(_logs, _ports, Ct);
        a.PunchEnabled = true;
        using var blackHole = await SynDroppingListener.StartAsync(Ct); // a NAT that drops the SYN

        var link = await a.Manager.GetLinkAsync(b.Contact(port: blackHole.Port), Ct);

        Assert.Equal(ConnectionKind.HolePunch, link.Stats.Path);
        Assert.NotNull(link.Stats.DialMs);
        Assert.True(link.Stats.DialMs < ManagerNode.Timeouts.Direct.TotalMilliseconds, $"decided in {link.Stats.DialMs} ms; without the race the punch starts only after the {ManagerNode.Timeouts.Direct.TotalSeconds:0} s direct timeout");
        Assert.Equal(0, a.Relay.Dials);
        await WaitUntilAsync(() => a.Registry.Count == 1); // the losing direct attempt holds no connection
    }

    [Fact]
    public async Task GetLinkAsync_DirectAndPunchBothWork_DirectWinsOnItsHeadStartAndNoPunchIsTried()
    {
        var clock = new FakeTimeProvider(); // the head start never ends unless the test moves the manager's clock
        await using var a = await ManagerNode.CreateAsync(_logs, _ports, Ct, managerTime: clock);
        await using var b = await ManagerNode.CreateAsync(_logs, _ports, Ct);
        a.PunchEnabled = true;

        var link = await a.Manager.GetLinkAsync(b.Contact(), Ct);

        Assert.Equal(ConnectionKind.Direct, link.Stats.Path);
        Assert.Equal(0, a.Punch.Dials);
        Assert.Equal(0, link.Stats.DialMs); // on the manager's clock, which did not move
    }

    [Fact]
    public async Task GetLinkAsync_DirectConnectHangs_PunchStartsWhenTheHeadStartEndsAndItsTimeIsRecorded()
    {
        var clock = new FakeTimeProvider();
        await using var a = await ManagerNode.CreateAsync(_logs, _ports, Ct, managerTime: clock);
        await using var b = await ManagerNode.CreateAsync(_logs, _ports, Ct);
        a.PunchEnabled = true;
        using var blackHole = await SynDroppingListener.StartAsync(Ct);

        var dial = a.Manager.GetLinkAsync(b.Contact(port: blackHole.Port), Ct);
        await Task.Delay(200, Ct);
        Assert.Equal(0, a.Punch.Dials); // direct is alone until the head start ends
        Assert.False(dial.IsCompleted);

        clock.Advance(ManagerNode.Timeouts.PunchHeadStart);
        var link = await dial;

        Assert.Equal(ConnectionKind.HolePunch, link.Stats.Path);
        Assert.Equal(1, a.Punch.Dials);
        Assert.Equal((int)ManagerNode.Timeouts.PunchHeadStart.TotalMilliseconds, link.Stats.DialMs);
    }

    [Fact]
    public async Task GetLinkAsync_DirectConnectedButItsHandshakeIsSlow_PunchWaitsUntilDirectHasFailed()
    {
        var clock = new FakeTimeProvider();
        await using var a = await ManagerNode.CreateAsync(_logs, _ports, Ct, managerTime: clock);
        await using var b = await ManagerNode.CreateAsync(_logs, _ports, Ct);
        a.PunchEnabled = true;
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts TCP, says nothing: a peer too busy to answer yet
        silent.Start();
        var accepted = silent.AcceptSocketAsync(Ct);

        var dial = a.Manager.GetLinkAsync(b.Contact(port: ((IPEndPoint)silent.LocalEndpoint).Port), Ct);
        using var directSocket = await accepted;
        await WaitUntilAsync(() => a.Registry.Count == 1); // the dialling side has seen its connect complete
        clock.Advance(ManagerNode.Timeouts.PunchHeadStart);
        await Task.Delay(200, Ct);
        Assert.Equal(0, a.Punch.Dials); // connected: a punched stream would win only by being started
        Assert.False(dial.IsCompleted);

        clock.Advance(ManagerNode.Timeouts.Direct);
        var link = await dial;

        Assert.Equal(ConnectionKind.HolePunch, link.Stats.Path);
        Assert.Equal(1, a.Punch.Dials);

        // The failed direct attempt's socket is closed, not left open.
        var buffer = new byte[4096];
        int read;
        do
        {
            read = await ReadOrResetAsync(directSocket, buffer);
        }
        while (read > 0);
    }

    [Fact]
    public async Task RelayedLink_PunchHeldBackThenComesUp_PeerMovesToItAndTheRelayedLinkClosesOnceDrained()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _ports, Ct, punchDelay: TimeSpan.FromSeconds(1));
        await using var b = await ManagerNode.CreateAsync(_logs, _ports, Ct);
        a.PunchEnabled = true;
        var moves = new List<(PeerLink From, PeerLink To)>();
        var bMoves = new List<(PeerLink From, PeerLink To)>();
        a.Manager.LinkUpgraded += (from, to) => { lock (moves) { moves.Add((from, to)); } };
        b.Manager.LinkUpgraded += (from, to) => { lock (bMoves) { bMoves.Add((from, to)); } };
        // What each side's connection list says when it reports the move (the heartbeat that tells the tracker).
        var listedAtMove = new List<(string Side, string PeerId, string Paths)>();
        a.Manager.PathMoved += peer => { lock (listedAtMove) { listedAtMove.Add(("a", peer, PathsTo(a, peer))); } };
        b.Manager.PathMoved += peer => { lock (listedAtMove) { listedAtMove.Add(("b", peer, PathsTo(b, peer))); } };

        var relayed = await a.Manager.GetLinkAsync(b.Contact(port: UnusedPort()), Ct);
        Assert.Equal(ConnectionKind.Relay, relayed.Stats.Path); // punching held back: direct refused, so the relay
        Assert.Equal(0, a.Punch.Dials);
        string fileId = new('c', 64);
        var download = new SilentListener();
        relayed.Attach(fileId, download);
        await WaitUntilAsync(() => b.Directory.Snapshot().Any(l => l.Stats.Path == ConnectionKind.Relay));
        var relayedAtB = b.Directory.Snapshot().Single(l => l.Stats.Path == ConnectionKind.Relay);
        relayedAtB.Attach(fileId, new SilentListener()); // B downloads from A too, so neither side may close it yet

        await WaitUntilAsync(() => a.Manager.Find(b.Identity.PeerId) is { Stats.Path: ConnectionKind.HolePunch, Stats.DialMs: not null });
        var punched = a.Manager.Find(b.Identity.PeerId)!;
        Assert.Equal(1, a.Punch.Dials);
        lock (moves)
        {
            Assert.Equal([(relayed, punched)], moves);
        }

        // The side that only accepted moves its relayed link too.
        await WaitUntilAsync(() => { lock (bMoves) { return bMoves.Count == 1; } });
        Assert.Equal(ConnectionKind.HolePunch, b.Manager.Find(a.Identity.PeerId)!.Stats.Path);

        // Downloads still attached keep the relayed link open over several drain checks (500 ms apart) ...
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.False(relayed.IsClosed);
        Assert.False(relayedAtB.IsClosed);
        lock (listedAtMove)
        {
            Assert.Empty(listedAtMove); // not moved while the relayed link is still open
        }

        // ... and once A's has left, A finds the link drained and closes it, saying why; B sees it go.
        relayed.Detach(fileId);
        Assert.Equal("moved to holepunch", await relayed.Closed.WaitAsync(Ct));
        await relayedAtB.Closed.WaitAsync(Ct);
        Assert.False(punched.IsClosed);
        Assert.Empty(download.Closes);

        // Both sides report the move once, and by then list only the punched link.
        await WaitUntilAsync(() => { lock (listedAtMove) { return listedAtMove.Count == 2; } });
        lock (listedAtMove)
        {
            Assert.Equal([("a", b.Identity.PeerId, "holepunch"), ("b", a.Identity.PeerId, "holepunch")], listedAtMove.OrderBy(m => m.Side));
        }
    }

    private static string PathsTo(ManagerNode node, string peerId) =>
        string.Join(",", node.Registry.List().Where(c => c.PeerId == peerId).Select(c => ConnectionPaths.Name(c.Path)));

    private static async Task<int> ReadOrResetAsync(Socket socket, byte[] buffer)
    {
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, Ct);
        }
        catch (SocketException)
        {
            return 0; // reset: closed too
        }
    }

    private sealed class SilentListener : ILinkListener
    {
        public List<string> Closes { get; } = [];

        public void OnBitfield(PeerLink link, ChunkBitmap bitfield)
        {
        }

        public void OnHave(PeerLink link, int index)
        {
        }

        public void OnPiece(PeerLink link, int index, PieceData data) => data.Dispose();

        public void OnReject(PeerLink link, int index, RejectReason reason)
        {
        }

        public void OnClosed(PeerLink link, string reason) => Closes.Add(reason);
    }

    private static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(10, Ct);
        }
    }
}
