using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Client;

namespace P2PShare.Peer.Tests.Client;

public sealed class HeartbeatStatsTests
{
    [Fact]
    public void NoProvider_SendsOnlyThePeerId()
    {
        var request = HeartbeatStats.Request(new string('a', 40), null);

        Assert.Null(request.BytesSent);
        Assert.Null(request.Connections);
    }

    [Fact]
    public void ManyConnections_SendsAtMostTheTrackersLimit_AndLeavesOutUnidentifiedOnes()
    {
        var connections = Enumerable.Range(0, 100)
            .Select(i => new ReportedConnection { PeerId = i.ToString("x40"), Path = ConnectionPaths.Direct })
            .Prepend(new ReportedConnection { PeerId = "(handshaking)", Path = ConnectionPaths.Direct })
            .ToList();

        var request = HeartbeatStats.Request(new string('a', 40), () => new HeartbeatStats(10, 20, connections));

        Assert.Equal(10, request.BytesSent);
        Assert.Equal(20, request.BytesReceived);
        Assert.Equal(TrackerLimits.MaxReportedConnections, request.Connections!.Count);
        Assert.All(request.Connections, c => Assert.True(PeerIds.IsValid(c.PeerId)));
    }
}
