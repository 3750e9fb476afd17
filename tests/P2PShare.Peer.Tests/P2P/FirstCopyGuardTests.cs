using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.P2P;

namespace P2PShare.Peer.Tests.P2P;

public sealed class FirstCopyGuardTests
{
    private const string File = "ab";
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryClaim_SecondPeerWithinWindow_TurnedAway()
    {
        var guard = new FirstCopyGuard(_time, (_, _) => true);

        Assert.True(guard.TryClaim(File, 3, "alice"));
        Assert.False(guard.TryClaim(File, 3, "bob"));
        Assert.True(guard.TryClaim(File, 4, "bob")); // another chunk
        Assert.True(guard.TryClaim("cd", 3, "bob")); // the same index of another file
    }

    [Fact]
    public void TryClaim_SamePeerAgain_Allowed()
    {
        var guard = new FirstCopyGuard(_time, (_, _) => true);

        Assert.True(guard.TryClaim(File, 3, "alice"));
        Assert.True(guard.TryClaim(File, 3, "alice")); // a re-request after a lost piece must not stall
    }

    [Fact]
    public void TryClaim_AfterWindow_SecondPeerServed()
    {
        var guard = new FirstCopyGuard(_time, (_, _) => true);
        guard.TryClaim(File, 3, "alice");

        _time.Advance(FirstCopyGuard.Window);

        Assert.True(guard.TryClaim(File, 3, "bob"));
        Assert.False(guard.TryClaim(File, 3, "alice"));
    }

    [Fact]
    public void TryClaim_ManyChunks_PruningKeepsTheRecentClaims()
    {
        var guard = new FirstCopyGuard(_time, (_, _) => true);
        for (int i = 0; i < 5000; i++)
        {
            guard.TryClaim(File, i, "alice");
        }

        _time.Advance(FirstCopyGuard.Window);
        guard.TryClaim(File, 9000, "alice");
        for (int i = 0; i < 5000; i++)
        {
            Assert.True(guard.TryClaim(File, i, "bob"));
        }

        Assert.False(guard.TryClaim(File, 9000, "bob"));
    }

    [Fact]
    public void TryClaim_FirstRecipientGone_SecondPeerServedAtOnce()
    {
        var guard = new FirstCopyGuard(_time, (peer, _) => peer != "alice");
        guard.TryClaim(File, 3, "alice");

        Assert.True(guard.TryClaim(File, 3, "bob"));
    }
}
