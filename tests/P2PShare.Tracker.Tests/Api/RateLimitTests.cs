using System.Net;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Register_MoreThanTheLimitFromOneAddress_Returns429WithRetryAfter()
    {
        // A window far longer than the test, so no refill can happen mid-test.
        await using var host = await TrackerHost.StartAsync(o => o with { RegisterRateLimit = 3, RegisterRateWindow = TimeSpan.FromHours(1) });
        for (int i = 0; i < 3; i++)
        {
            await host.Client.RegisterAsync(TestPeer.Create(), host.Token);
        }

        using var limited = await host.Client.PostJsonAsync("/api/peers/register", TestPeer.Create().Registration(), null, host.Token);
        using var heartbeat = await host.Client.HeartbeatAsync(TestPeer.Create().PeerId, "t", host.Token);

        string detail = await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, host.Token);
        Assert.Contains("3 registrations", detail);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.NotFound, heartbeat.StatusCode);
    }
}
