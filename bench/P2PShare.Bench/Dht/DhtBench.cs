using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using P2PShare.Dht;
using P2PShare.Dht.Lookups;

namespace P2PShare.Bench.Dht;

/// <summary>
/// <c>dht [--nodes 1000] [--keys 100] [--lookups 300] [--churn-percent 20]</c>: a loopback network of real DHT nodes
/// (one UDP socket each, production options) in this process. Prints per-lookup messages, rounds and wall time,
/// managed memory and RSS per node, then the same after a share of the nodes stops without notice.
/// </summary>
internal static class DhtBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        int nodes = (int)BenchArgs.Option(args, "--nodes", 1000);
        int keys = (int)BenchArgs.Option(args, "--keys", 100);
        int lookups = (int)BenchArgs.Option(args, "--lookups", 300);
        int churnPercent = (int)BenchArgs.Option(args, "--churn-percent", 20);
        var options = new DhtOptions();

        long managed0 = GC.GetTotalMemory(forceFullCollection: true);
        long rss0 = Environment.WorkingSet;
        var members = new List<(byte[] Key, DhtNode Node)>();
        var join = Stopwatch.StartNew();
        for (int i = 0; i < nodes; i++)
        {
            var staticKey = RandomNumberGenerator.GetBytes(32);
            var node = DhtNode.Start(NodeId.FromStaticKey(staticKey), new IPEndPoint(IPAddress.Loopback, 0), options);
            if (i > 0)
            {
                await node.BootstrapAsync(Enumerable.Range(0, 3).Select(_ => members[Random.Shared.Next(i)].Node.LocalEndPoint), CancellationToken.None);
            }

            members.Add((staticKey, node));
        }

        join.Stop();
        long managed1 = GC.GetTotalMemory(forceFullCollection: true);
        long rss1 = Environment.WorkingSet;
        Print("nodes", nodes);
        Print("join_seconds", join.Elapsed.TotalSeconds);
        Print("routing_table_median", Median(members.Select(m => (double)m.Node.RoutingTable.Count)));
        Print("managed_bytes_per_node", (managed1 - managed0) / (double)nodes);
        Print("rss_bytes_per_node", (rss1 - rss0) / (double)nodes);

        var announced = new Dictionary<NodeId, NodeId>();
        var announceMessages = new List<double>();
        var storedAt = new List<double>();
        foreach (var batch in Enumerable.Range(0, keys).Chunk(20))
        {
            await Task.WhenAll(batch.Select(async _ =>
            {
                var (staticKey, node) = members[Random.Shared.Next(nodes)];
                var key = NodeId.Random();
                var result = await node.AnnounceAsync(key, staticKey, 6881, CancellationToken.None);
                lock (announced)
                {
                    announced[key] = node.Id;
                    announceMessages.Add(result.MessagesSent);
                    storedAt.Add(result.StoredAt);
                }
            }));
        }

        Print("announce_messages_median", Median(announceMessages));
        Print("announce_stored_at_median", Median(storedAt));
        await MeasureLookupsAsync("", members.Select(m => m.Node).ToList(), announced, lookups);

        foreach (var (_, node) in members.OrderBy(_ => Random.Shared.Next()).Take(nodes * churnPercent / 100).ToList())
        {
            await node.DisposeAsync();
            members.RemoveAll(m => m.Node == node);
        }

        await MeasureLookupsAsync("churn_", members.Select(m => m.Node).ToList(), announced, lookups);
        foreach (var (_, node) in members)
        {
            await node.DisposeAsync();
        }

        return 0;
    }

    private static async Task MeasureLookupsAsync(string prefix, List<DhtNode> running, Dictionary<NodeId, NodeId> announced, int count)
    {
        var keys = announced.Keys.ToList();
        var results = new List<(LookupResult Result, double Milliseconds, bool Found)>();
        foreach (var batch in Enumerable.Range(0, count).Chunk(10))
        {
            var outcomes = await Task.WhenAll(batch.Select(async _ =>
            {
                var key = keys[Random.Shared.Next(keys.Count)];
                var searcher = running[Random.Shared.Next(running.Count)];
                var watch = Stopwatch.StartNew();
                var result = await searcher.FindHoldersAsync(key, CancellationToken.None);
                return (result, watch.Elapsed.TotalMilliseconds, result.Holders.Any(h => h.PeerId == announced[key]));
            }));
            results.AddRange(outcomes);
        }

        Print(prefix + "lookups", results.Count);
        Print(prefix + "success_percent", 100.0 * results.Count(r => r.Found) / results.Count);
        Print(prefix + "messages_median", Median(results.Select(r => (double)r.Result.MessagesSent)));
        Print(prefix + "messages_p90", Percentile(results.Select(r => (double)r.Result.MessagesSent), 0.9));
        Print(prefix + "rounds_median", Median(results.Select(r => (double)r.Result.Rounds)));
        Print(prefix + "rounds_p90", Percentile(results.Select(r => (double)r.Result.Rounds), 0.9));
        Print(prefix + "ms_median", Median(results.Select(r => r.Milliseconds)));
        Print(prefix + "ms_p90", Percentile(results.Select(r => r.Milliseconds), 0.9));
    }

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(fraction * sorted.Count))];
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.##}"));
}
