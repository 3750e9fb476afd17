using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using P2PShare.Core.Crypto;
using P2PShare.Dht;
using P2PShare.Peer.Configuration;
using P2PShare.Peer.Node;

namespace P2PShare.Peer.Tests.Node;

/// <summary>The peer's DHT service on real UDP sockets: joins through -bootstrap, announces held files, saves contacts.</summary>
public sealed class DhtServiceTests
{
    private static readonly PeerOptions Loopback = new() { ListenHost = "127.0.0.1", DhtPort = 0 };

    private static DhtService Start(PeerIdentity identity, TempDirectory dir, IReadOnlyList<string> held, params DhtService[] bootstrap)
    {
        var options = Loopback with { DhtBootstrap = [.. bootstrap.Select(b => $"127.0.0.1:{b.Node.LocalEndPoint.Port}")] };
        return DhtService.TryStart(options, identity, 6881, _ => Task.FromResult(held), dir.Path, TimeProvider.System, NullLogger.Instance)
            ?? throw new InvalidOperationException("DHT did not start");
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
        await using var bootstrap = Start(first, dirA, []);
        await using var holding = Start(holder, dirB, [fileId], bootstrap);
        await using var searching = Start(searcher, dirC, [], bootstrap);

        Holder? found = null;
        for (int attempt = 0; attempt < 100 && found is null; attempt++)
        {
            var result = await searching.Node.FindHoldersAsync(NodeId.FromHex(fileId), ct);
            found = result.Holders.FirstOrDefault();
            if (found is null)
            {
                await Task.Delay(100, ct);
            }
        }

        Assert.NotNull(found);
        Assert.Equal(holder.PeerId, found.PeerIdHex);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6881), found.EndPoint);
        Assert.Equal(1, holding.View().AnnouncedFiles);
    }

    [Fact]
    public async Task Contacts_are_saved_on_stop_and_a_restarted_peer_rejoins_without_bootstrap_nodes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        using var first = PeerIdentity.Generate();
        using var second = PeerIdentity.Generate();
        await using var bootstrap = Start(first, dirA, []);
        var joined = Start(second, dirB, [], bootstrap);
        for (int attempt = 0; attempt < 100 && joined.Node.RoutingTable.Count == 0; attempt++)
        {
            await Task.Delay(50, ct);
        }

        await joined.DisposeAsync();
        Assert.Contains($"127.0.0.1 {bootstrap.Node.LocalEndPoint.Port}", await File.ReadAllLinesAsync(Path.Combine(dirB.Path, "dht-nodes.txt"), ct));

        await using var restarted = Start(second, dirB, []);
        for (int attempt = 0; attempt < 100 && restarted.Node.RoutingTable.Count == 0; attempt++)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(bootstrap.Node.Id, Assert.Single(restarted.Node.RoutingTable.All()).Id);
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
