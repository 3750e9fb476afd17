using P2PShare.Tracker.Relay;

namespace P2PShare.Tracker.Tests.Relay;

public sealed class RelayOptionsReaderTests
{
    [Fact]
    public void Nothing_Given_GivesTheDefaults()
    {
        Assert.True(RelayOptionsReader.TryRead(new RelayOptionsReader.Flags(), _ => null, out var options, out string? error));
        Assert.Null(error);
        Assert.Equal(new RelayOptions(), options);
    }

    [Fact]
    public void EnvironmentVariables_AreRead_AndFlagsWinOverThem()
    {
        var environment = new Dictionary<string, string>
        {
            [RelayOptionsReader.MaxTunnelsVariable] = "10",
            [RelayOptionsReader.MaxTunnelsPerPeerVariable] = "3",
            [RelayOptionsReader.RateVariable] = "512KiB",
            [RelayOptionsReader.TotalRateVariable] = "10MB",
            [RelayOptionsReader.IdleTimeoutVariable] = "60",
        };

        Assert.True(RelayOptionsReader.TryRead(new RelayOptionsReader.Flags(MaxTunnels: 20, Rate: "1MB"), environment.GetValueOrDefault, out var options, out _));

        Assert.Equal(20, options.MaxTunnels);
        Assert.Equal(3, options.MaxTunnelsPerPeer);
        Assert.Equal(1_000_000, options.TunnelRate);
        Assert.Equal(10_000_000, options.TotalRate);
        Assert.Equal(TimeSpan.FromSeconds(60), options.IdleTimeout);
    }

    [Theory]
    [InlineData(RelayOptionsReader.MaxTunnelsVariable, "many")]
    [InlineData(RelayOptionsReader.MaxTunnelsPerPeerVariable, "-1")]
    [InlineData(RelayOptionsReader.RateVariable, "fast")]
    [InlineData(RelayOptionsReader.TotalRateVariable, "-5MB")]
    [InlineData(RelayOptionsReader.IdleTimeoutVariable, "0")]
    public void InvalidValue_IsReportedWithItsName(string variable, string value)
    {
        Assert.False(RelayOptionsReader.TryRead(new RelayOptionsReader.Flags(), name => name == variable ? value : null, out _, out string? error));
        Assert.Contains(variable, error);
    }
}
