using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using P2PShare.Core.Crypto;
using P2PShare.Dht;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Node;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Node;

/// <summary>The peer's DHT service on real UDP sockets: joins through -bootstrap, announces held files, saves contacts.</summary>
public sealed class DhtServiceTests
{
    private static readonly PeerOptions Loopback = new() { ListenHost = "127.0.0.1", DhtPort = 0 };

    private static DhtService Start(PeerIdentity identity, StateDatabase db, IReadOnlyList<string> held, params DhtService[] bootstrap) =>
        Start(identity, db, held, _ => Task.FromResult<IReadOnlyList<IPEndPoint>>([]), bootstrap);

    private static DhtService Start(PeerIdentity identity, StateDatabase db, IReadOnlyList<string> held,
        Func<CancellationToken, Task<IReadOnlyList<IPEndPoint>>> trackerNodes, params DhtService[] bootstrap)
    {
        var join = new DhtJoinSources(new ContactStore(db), [.. bootstrap.Select(b => $"127.0.0.1:{b.Node.LocalEndPoint.Port}")], trackerNodes);
        return DhtService.TryStart(Loopback, identity, 6881, _ => Task.FromResult(held), join, TimeProvider.System, NullLogger.Instance)
            ?? throw new InvalidOperationException("DHT did not start");
    }

    private static StateDatabase OpenState(TempDirectory dir)
    {
        var paths = new PeerPaths(dir.Path);
        paths.EnsureCreated();
        return StateDatabase.Open(paths, TimeProvider.System);
    }

    [Fact]
    public async Task A_file_held_by_one_peer_is_found_by_another_that_joined_through_a_third()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = PeerIdentity.Generate();
        using var holder = PeerIdentity.Generate();
        using var searcher = PeerIdentity.Generate();
        string fileId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        using var dirC = new TempDirectory();
        await using var dbA = OpenState(dirA);
        await using var dbB = OpenState(dirB);
        await using var dbC = OpenState(dirC);
        await using var bootstrap = Start(first, dbA, []);
        await using var holding = Start(holder, dbB, [fileId], bootstrap);
        await using var searching = Start(searcher, dbC, [], bootstrap);

        var found = await FindHolderAsync(searching, fileId, ct);

        Assert.NotNull(found);
        Assert.Equal(holder.PeerId, found.PeerIdHex);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6881), found.EndPoint);
        Assert.Equal(1, holding.Snapshot(new()).AnnouncedFiles);
    }

    [Fact]
    public async Task A_peer_with_no_bootstrap_entry_joins_through_the_dht_nodes_the_tracker_lists()
    {
        var ct = TestContext.Current.CancellationToken;
        using var holder = PeerIdentity.Generate();
        using var searcher = PeerIdentity.Generate();
        string fileId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        await using var dbA = OpenState(dirA);
        await using var dbB = OpenState(dirB);
        await using var holding = Start(holder, dbA, [fileId]);
        var listed = new IPEndPoint(IPAddress.Loopback, holding.Node.LocalEndPoint.Port);
        await using var searching = Start(searcher, dbB, [], _ => Task.FromResult<IReadOnlyList<IPEndPoint>>([listed]));

        var found = await FindHolderAsync(searching, fileId, ct);

        Assert.Equal(holder.PeerId, found?.PeerIdHex);
    }

    [Fact]
    public async Task The_routing_table_is_saved_in_state_db_and_a_restarted_peer_rejoins_without_bootstrap_nodes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        using var first = PeerIdentity.Generate();
        using var second = PeerIdentity.Generate();
        await using var dbA = OpenState(dirA);
        await using var bootstrap = Start(first, dbA, []);
        await using (var dbB = OpenState(dirB))
        {
            var joined = Start(second, dbB, [], bootstrap);
            for (int attempt = 0; attempt < 100 && joined.Node.RoutingTable.Count == 0; attempt++)
            {
                await Task.Delay(50, ct);
            }

            await joined.DisposeAsync();
            var saved = await new ContactStore(dbB).LoadAsync(ct);
            Assert.Contains(new IPEndPoint(IPAddress.Loopback, bootstrap.Node.LocalEndPoint.Port), saved);
        }

        await using var reopened = OpenState(dirB);
        await using var restarted = Start(second, reopened, []);
        for (int attempt = 0; attempt < 100 && restarted.Node.RoutingTable.Count == 0; attempt++)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(bootstrap.Node.Id, Assert.Single(restarted.Node.RoutingTable.All()).Id);
    }

    private static async Task<Holder?> FindHolderAsync(DhtService searching, string fileId, CancellationToken ct)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var result = await searching.Node.FindHoldersAsync(NodeId.FromHex(fileId), ct);
            if (result.Holders.FirstOrDefault() is { } found)
            {
                return found;
            }

            await Task.Delay(100, ct);
        }

        return null;
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("host:0")]
    [InlineData("host:99999")]
    [InlineData(":6881")]
    public void A_malformed_bootstrap_entry_is_refused_by_name(string entry)
    {
        var ex = Assert.Throws<ArgumentException>(() => DhtService.ParseBootstrap($"127.0.0.1:6881,{entry}"));
        Assert.Contains(entry, ex.Message);
    }

    [Fact]
    public void Bootstrap_entries_are_split_on_commas()
    {
        Assert.Equal(["a.example:1", "127.0.0.1:2", "[::1]:3"], DhtService.ParseBootstrap(" a.example:1, 127.0.0.1:2 ,[::1]:3"));
        Assert.Empty(DhtService.ParseBootstrap(null));
    }
}
