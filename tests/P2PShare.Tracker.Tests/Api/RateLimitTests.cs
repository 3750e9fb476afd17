using System.Net;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Register_BurstFromOneAddress_IsAllowedBeyondTheSteadyRate()
    {
        // A steady rate of 3 per hour: without a burst allowance the fourth registration would be refused.
        await using var host = await TrackerHost.StartAsync(o => o with { RegisterRateLimit = 3, RegisterRateWindow = TimeSpan.FromHours(1), RegisterBurst = 20 });

        for (int i = 0; i < 20; i++)
        {
            await host.Client.RegisterAsync(TestPeer.Create(), host.Token);
        }
    }

    [Fact]
    public async Task Register_PastTheBurstFromOneAddress_Returns429WithRetryAfter()
    {
        // One token per 20 minutes, so no refill can happen mid-test.
        await using var host = await TrackerHost.StartAsync(o => o with { RegisterRateLimit = 3, RegisterRateWindow = TimeSpan.FromHours(1), RegisterBurst = 3 });
        for (int i = 0; i < 3; i++)
        {
            await host.Client.RegisterAsync(TestPeer.Create(), host.Token);
        }

        using var limited = await host.Client.PostAsync("/api/peers/register/challenge", null, host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(TestPeer.Create().PeerId, "t", host.Token);

        string detail = await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, host.Token);
        Assert.Contains("3 at once", detail);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After names a delay");
        Assert.Equal(HttpStatusCode.NotFound, heartbeat.StatusCode);
    }
}
