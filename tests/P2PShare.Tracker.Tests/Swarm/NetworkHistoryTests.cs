using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Tests.Swarm;

public sealed class NetworkHistoryTests
{
    [Fact]
    public void MoreSamplesThanAnHourHolds_KeepsTheNewestHourOldestFirst()
    {
        var history = new NetworkHistory(new TrackerOptions { StatsInterval = TimeSpan.FromSeconds(10) });
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        for (int i = 0; i < 500; i++)
        {
            history.Add(new NetworkSample { Time = start.AddSeconds(10 * i), Peers = i, UploadRate = i, DownloadRate = 0 });
        }

        var samples = history.Samples();
        Assert.Equal(360, samples.Count);
        Assert.Equal(140, samples[0].Peers);
        Assert.Equal(499, samples[^1].Peers);
        Assert.True(samples.Zip(samples.Skip(1)).All(pair => pair.First.Time < pair.Second.Time));
    }
}
