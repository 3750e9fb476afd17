using System.Net;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Dht.Routing;

namespace P2PShare.Dht.Tests;

public sealed class RoutingTableTests
{
    private static Contact At(NodeId id, int port) => new(id, new IPEndPoint(IPAddress.Loopback, port));

    [Fact]
    public void A_bucket_keeps_k_contacts_however_many_answer()
    {
        var self = NodeId.Random();
        var table = new RoutingTable(self, 20, TimeProvider.System);
        for (int i = 0; i < 5000; i++)
        {
            table.Seen(At(self.RandomWithSharedPrefix(3), 10_000 + i));
        }

        Assert.Equal(20, table.Count);
        Assert.All(table.All(), c => Assert.Equal(3, self.SharedPrefixLength(c.Id)));
    }

    [Fact]
    public void A_contact_that_stops_answering_gives_way_to_a_replacement()
    {
        var self = NodeId.Random();
        var table = new RoutingTable(self, 2, TimeProvider.System);
        var first = At(self.RandomWithSharedPrefix(0), 1);
        var second = At(self.RandomWithSharedPrefix(0), 2);
        var waiting = At(self.RandomWithSharedPrefix(0), 3);
        table.Seen(first);
        table.Seen(second);
        table.Seen(waiting);
        Assert.DoesNotContain(waiting, table.All());

        table.Failed(first.Id);
        Assert.Equal([second, waiting], table.All().OrderBy(c => c.EndPoint.Port));
    }

    [Fact]
    public void A_contact_with_no_replacement_is_dropped_after_repeated_failures()
    {
        var self = NodeId.Random();
        var table = new RoutingTable(self, 20, TimeProvider.System);
        var contact = At(self.RandomWithSharedPrefix(5), 1);
        table.Seen(contact);
        table.Failed(contact.Id);
        Assert.Equal(0, table.GoodCount);
        Assert.Equal(1, table.Count);
        table.Failed(contact.Id);
        table.Failed(contact.Id);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Closest_orders_by_xor_distance()
    {
        var self = NodeId.Random();
        var table = new RoutingTable(self, 20, TimeProvider.System);
        for (int i = 0; i < 200; i++)
        {
            table.Seen(At(NodeId.Random(), 1000 + i));
        }

        var target = NodeId.Random();
        var closest = table.Closest(target, 20);
        var expected = table.All().OrderBy(c => c.Id ^ target).Take(20);
        Assert.Equal(expected, closest);
    }

    [Fact]
    public void Buckets_unchanged_for_the_refresh_interval_are_due()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var self = NodeId.Random();
        var table = new RoutingTable(self, 20, time);
        table.Seen(At(self.RandomWithSharedPrefix(2), 1));
        Assert.Empty(table.BucketsToRefresh(TimeSpan.FromMinutes(15)));
        time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal([0, 1, 2, 3], table.BucketsToRefresh(TimeSpan.FromMinutes(15)));
        table.Touched(1);
        Assert.Equal([0, 2, 3], table.BucketsToRefresh(TimeSpan.FromMinutes(15)));
    }
}
