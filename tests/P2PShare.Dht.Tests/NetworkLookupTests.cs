namespace P2PShare.Dht.Tests;

/// <summary>A 200-node network on loopback: every announced key is found, also after a fifth of the nodes vanish.</summary>
public sealed class NetworkLookupTests
{
    private const int Nodes = 200;
    private const int Keys = 100;

    [Fact]
    public async Task Lookups_find_announced_holders_before_and_after_a_fifth_of_the_nodes_stop()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var network = await TestNetwork.StartAsync(Nodes, cancellation);
        var announcers = new Dictionary<NodeId, TestNetwork.Member>();
        for (int i = 0; i < Keys; i++)
        {
            var announcer = network.Members[Random.Shared.Next(Nodes)];
            var key = NodeId.Random();
            var announce = await announcer.Node.AnnounceAsync(key, announcer.StaticKey, 7000 + i, cancellation);
            Assert.True(announce.StoredAt > 0, $"announce of key {i} was stored nowhere");
            announcers[key] = announcer;
        }

        Assert.Equal(Keys, await CountFoundAsync(network, announcers, cancellation));

        foreach (var member in network.Members.OrderBy(_ => Random.Shared.Next()).Take(Nodes / 5))
        {
            await member.StopAsync();
        }

        int found = await CountFoundAsync(network, announcers, cancellation);
        Assert.True(found >= Keys * 99 / 100, $"{found} of {Keys} lookups found the holder after churn");
    }

    private static async Task<int> CountFoundAsync(TestNetwork network, Dictionary<NodeId, TestNetwork.Member> announcers, CancellationToken cancellation)
    {
        var running = network.Running.ToList();
        var lookups = announcers.Select(async pair =>
        {
            var searcher = running[Random.Shared.Next(running.Count)];
            var result = await searcher.Node.FindHoldersAsync(pair.Key, cancellation);
            var holder = result.Holders.SingleOrDefault(h => h.PeerId == pair.Value.Node.Id);
            return holder is not null && holder.StaticKey.Span.SequenceEqual(pair.Value.StaticKey);
        });
        var outcomes = await Task.WhenAll(lookups);
        return outcomes.Count(found => found);
    }
}
