using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.Downloader;

namespace P2PShare.Peer.Tests.Downloader;

public sealed class RequestPacingTests
{
    private const int Chunk = 256 * 1024;
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Depth_RateNotKnownYet_HalfThePipeline()
    {
        Assert.Equal(4, new RequestPacing(_time).Depth(8));
    }

    [Fact]
    public void Depth_SlowHolder_ShortQueue()
    {
        var pacing = new RequestPacing(_time);
        for (int i = 0; i < 8; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(125)); // 8 chunks a second = 2 MiB/s
            pacing.Received(Chunk);
        }

        Assert.Equal(3, pacing.Depth(8)); // 1 + ceil(2 MiB/s × 150 ms / 256 KiB)
    }

    [Fact]
    public void Depth_FastHolder_WholePipeline()
    {
        var pacing = new RequestPacing(_time);
        for (int i = 0; i < 400; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(2.5)); // 100 MiB/s
            pacing.Received(Chunk);
        }

        Assert.Equal(8, pacing.Depth(8));
    }

    [Fact]
    public void BackOff_SkipsTheChunkUntilTheDelayHasPassed()
    {
        var pacing = new RequestPacing(_time);
        pacing.BackOff(5, TimeSpan.FromSeconds(1));

        Assert.True(pacing.IsBackingOff(5));
        Assert.False(pacing.IsBackingOff(6));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(pacing.IsBackingOff(5));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(pacing.IsBackingOff(5));
    }
}
