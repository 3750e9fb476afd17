using System.Net;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Tests.P2P;

public sealed class PendingHandshakesTests
{
    [Fact]
    public void TryEnter_PerAddressCap_RefusesOnlyThatAddress()
    {
        var pending = new PendingHandshakes(maxTotal: 10, maxPerAddress: 2);
        Assert.True(pending.TryEnter("10.0.0.1"));
        Assert.True(pending.TryEnter("10.0.0.1"));
        Assert.False(pending.TryEnter("10.0.0.1"));
        Assert.True(pending.TryEnter("10.0.0.2"));

        pending.Leave("10.0.0.1");
        Assert.True(pending.TryEnter("10.0.0.1"));
    }

    [Fact]
    public void TryEnter_TotalCap_RefusesEveryone()
    {
        var pending = new PendingHandshakes(maxTotal: 3, maxPerAddress: 2);
        Assert.True(pending.TryEnter("a"));
        Assert.True(pending.TryEnter("b"));
        Assert.True(pending.TryEnter("c"));
        Assert.False(pending.TryEnter("d"));
        pending.Leave("b");
        Assert.True(pending.TryEnter("d"));
        Assert.Equal(3, pending.Count);
    }

    [Fact]
    public void SourceOf_MappedIPv4_CountsAsTheIPv4Address() =>
        Assert.Equal("127.0.0.1", PendingHandshakes.SourceOf(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 5000)));
}
