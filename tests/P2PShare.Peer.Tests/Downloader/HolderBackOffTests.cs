using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.Downloader;

namespace P2PShare.Peer.Tests.Downloader;

public sealed class HolderBackOffTests
{
    private const string Holder = "1111111111111111111111111111111111111111";
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Failed_DelayDoublesPerFailure()
    {
        var backOff = new HolderBackOff(_clock);
        Assert.True(backOff.MayDial(Holder));
        for (int failure = 1; failure <= 3; failure++)
        {
            backOff.Failed(Holder);
            var delay = HolderBackOff.FirstDelay * (1 << (failure - 1));
            _clock.Advance(delay - TimeSpan.FromMilliseconds(1));
            Assert.False(backOff.MayDial(Holder));
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(backOff.MayDial(Holder));
        }
    }

    [Fact]
    public void Failed_DelayStopsGrowingAtTheMaximum()
    {
        var backOff = new HolderBackOff(_clock);
        for (int i = 0; i < HolderBackOff.MaxFailures - 1; i++)
        {
            backOff.Failed(Holder);
        }

        _clock.Advance(HolderBackOff.MaxDelay);
        Assert.True(backOff.MayDial(Holder));
    }

    [Fact]
    public void Failed_RepeatedFailures_BanTheHolderForGood()
    {
        var backOff = new HolderBackOff(_clock);
        bool banned = false;
        for (int i = 0; i < HolderBackOff.MaxFailures; i++)
        {
            banned = backOff.Failed(Holder);
        }

        Assert.True(banned);
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.False(backOff.MayDial(Holder));
        Assert.True(backOff.IsBanned(Holder));
        Assert.True(backOff.MayDial("2222222222222222222222222222222222222222"));
    }
}
