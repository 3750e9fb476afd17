using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Transport;
using P2PShare.Peer.Connection;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;
using P2PShare.Testing;

namespace P2PShare.Peer.Tests.Connection;

public sealed class ConnectionManagerTests
{
    private readonly LogCapture _logs = new();
    private readonly Dictionary<string, int> _relayPorts = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetLinkAsync_ConcurrentCallersForOnePeer_ShareOneLink()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);

        var links = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => a.Manager.GetLinkAsync(b.Contact(), Ct)));

        Assert.All(links, link => Assert.Same(links[0], link));
        Assert.Single(a.Directory.Snapshot());
        Assert.Equal(ConnectionKind.Direct, links[0].Stats.Path);
        Assert.Same(links[0], await a.Manager.GetLinkAsync(b.Contact(), Ct)); // later callers too
    }

    [Fact]
    public async Task GetLinkAsync_InboundLinkFromThatPeer_IsReusedInsteadOfDialing()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var outbound = await b.Manager.GetLinkAsync(a.Contact(), Ct);
        await WaitUntilAsync(() => a.Directory.Count == 1);

        var reused = await a.Manager.GetLinkAsync(b.Contact(), Ct);

        Assert.Equal(b.Identity.PeerId, reused.RemotePeerId);
        Assert.Single(a.Directory.Snapshot());
        Assert.Single(b.Directory.Snapshot());
        Assert.False(outbound.IsClosed);
    }

    [Fact]
    public async Task GetLinkAsync_DirectAndRelayBothWork_PrefersDirect()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);

        var link = await a.Manager.GetLinkAsync(b.Contact(), Ct);

        Assert.Equal(ConnectionKind.Direct, link.Stats.Path);
        Assert.Equal(0, a.Relay.Dials);
        Assert.NotNull(link.Stats.RttMs);
    }

    [Fact]
    public async Task GetLinkAsync_DirectAddressRefuses_FallsBackToRelay()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);

        var link = await a.Manager.GetLinkAsync(b.Contact(port: UnusedPort()), Ct);

        Assert.Equal(ConnectionKind.Relay, link.Stats.Path);
        Assert.Equal(b.Identity.PeerId, link.RemotePeerId);
        Assert.Equal(1, a.Relay.Dials);
    }

    [Fact]
    public async Task GetLinkAsync_DirectFailsAndPeerDoesNotAcceptRelay_FailsNamingTheDirectPath()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);

        var error = await Assert.ThrowsAsync<IOException>(() => a.Manager.GetLinkAsync(b.Contact(port: UnusedPort(), acceptsRelay: false), Ct));

        Assert.Contains("direct:", error.Message);
        Assert.Equal(0, a.Relay.Dials);
        Assert.Empty(a.Directory.Snapshot());
    }

    [Fact]
    public async Task GetLinkAsync_PeerHasAnotherStaticKey_IsRejectedOnEveryPath()
    {
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        using var impostorKey = PeerIdentity.Generate();

        var error = await Assert.ThrowsAsync<IOException>(() => a.Manager.GetLinkAsync(b.Contact(key: impostorKey.PublicKey), Ct));

        Assert.Contains("direct:", error.Message);
        Assert.Contains("relay:", error.Message);
        Assert.Empty(a.Directory.Snapshot());
        Assert.Equal(0, a.Registry.Count);
    }

    [Fact]
    public async Task Accept_BeyondTheConnectionCap_IsRefusedAndTheFirstLinkKeepsWorking()
    {
        await using var server = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct, maxConnections: 1);
        await using var first = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        await using var second = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        second.RelayEnabled = false;
        var kept = await first.Manager.GetLinkAsync(server.Contact(), Ct);
        await WaitUntilAsync(() => server.Registry.Count == 1);

        await Assert.ThrowsAsync<IOException>(() => second.Manager.GetLinkAsync(server.Contact(), Ct));

        // The server logs its refusal on its own accept path, which may finish after the dialer gave up.
        await WaitUntilAsync(() => _logs.Contains("peer connections are open already"));
        Assert.Equal(1, server.Registry.Count);
        Assert.False(kept.IsClosed);
    }

    [Fact]
    public async Task IdleLink_NothingAttachedForTwoMinutes_IsClosedThenAndNotBefore()
    {
        var clock = new FakeTimeProvider();
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct, managerTime: clock);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var link = await a.Manager.GetLinkAsync(b.Contact(), Ct);
        Assert.Equal(TimeSpan.FromMinutes(2), a.Manager.IdleTimeout);

        // The sweep runs every 30 s; the first one starts the link's idle period.
        await AdvanceAsync(clock, TimeSpan.FromSeconds(30), times: 4);
        Assert.False(link.IsClosed, "closed after 90 s idle; the timeout is 2 minutes");

        await AdvanceAsync(clock, TimeSpan.FromSeconds(30), times: 1);
        await WaitUntilAsync(() => link.IsClosed);
        Assert.Null(a.Manager.Find(b.Identity.PeerId));
    }

    [Fact]
    public async Task IdleLink_WithADownloadAttached_IsKeptPastTwoMinutes()
    {
        var clock = new FakeTimeProvider();
        await using var a = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct, managerTime: clock);
        await using var b = await ManagerNode.CreateAsync(_logs, _relayPorts, Ct);
        var link = await a.Manager.GetLinkAsync(b.Contact(), Ct);
        link.Attach(new string('a', 64), new SilentListener());

        await AdvanceAsync(clock, TimeSpan.FromSeconds(30), times: 12);

        Assert.False(link.IsClosed);
        Assert.Same(link, a.Manager.Find(b.Identity.PeerId));
    }

    /// <summary>Moves the manager's clock one sweep period at a time, letting each sweep run before the next.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider clock, TimeSpan step, int times)
    {
        for (int i = 0; i < times; i++)
        {
            clock.Advance(step);
            await Task.Delay(50, Ct);
        }
    }

    private sealed class SilentListener : ILinkListener
    {
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

        public void OnClosed(PeerLink link, string reason)
        {
        }
    }

    private static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port; // closed again when the probe is disposed: nothing listens there
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(10, Ct);
        }
    }
}
