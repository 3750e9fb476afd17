using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Dht.Storage;

namespace P2PShare.Dht.Tests;

public sealed class StorageAndTokenTests
{
    private static Holder NewHolder(int port)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        return new Holder(NodeId.FromStaticKey(key), key, new IPEndPoint(IPAddress.Loopback, port));
    }

    [Fact]
    public void The_store_refuses_keys_and_holders_past_its_bounds_until_entries_expire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new HolderStore(maxKeys: 10, maxHoldersPerKey: 5, TimeSpan.FromMinutes(30), time);
        var key = NodeId.Random();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(store.Add(i == 0 ? key : NodeId.Random(), NewHolder(i + 1)));
        }

        Assert.False(store.Add(NodeId.Random(), NewHolder(99)));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(store.Add(key, NewHolder(100 + i)));
        }

        Assert.False(store.Add(key, NewHolder(200)));
        Assert.Equal(5, store.Get(key, 16).Count);

        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Empty(store.Get(key, 16));
        Assert.True(store.Add(NodeId.Random(), NewHolder(300)));
    }

    [Fact]
    public void A_token_is_valid_for_its_address_and_key_until_the_secret_has_rotated_twice()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var tokens = new WriteTokens(TimeSpan.FromMinutes(5), time);
        var asker = new IPEndPoint(IPAddress.Loopback, 4000);
        var key = NodeId.Random();
        var token = tokens.Issue(asker, key);
        Assert.True(tokens.Check(token, asker, key));
        Assert.False(tokens.Check(token, new IPEndPoint(IPAddress.Loopback, 4001), key));
        Assert.False(tokens.Check(token, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 4000), key));
        Assert.False(tokens.Check(token, asker, NodeId.Random()));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(tokens.Check(token, asker, key));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(tokens.Check(token, asker, key));
    }
}
