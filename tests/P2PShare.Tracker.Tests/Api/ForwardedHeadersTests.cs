using System.Net;
using P2PShare.Tracker.Tests.Support;

namespace P2PShare.Tracker.Tests.Api;

/// <summary>X-Forwarded-For is believed only from TRUSTED_PROXIES, for the observed address and for rate limits.</summary>
public sealed class ForwardedHeadersTests
{
    private const string RealClient = "203.0.113.7";

    [Fact]
    public async Task Register_ForwardedForFromAnUntrustedAddress_IsIgnored()
    {
        await using var host = await TrackerHost.StartAsync();
        using var client = ForwardingClient(host);

        var registration = await client.RegisterAsync(TestPeer.Create(), host.Token);

        Assert.Equal("127.0.0.1", registration.ObservedAddress);
    }

    [Fact]
    public async Task Register_ForwardedForFromATrustedProxy_IsTheObservedAddress()
    {
        await using var host = await TrackerHost.StartAsync(o => o with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });
        using var client = ForwardingClient(host);

        var registration = await client.RegisterAsync(TestPeer.Create(), host.Token);

        Assert.Equal(RealClient, registration.ObservedAddress);
    }

    [Fact]
    public async Task RateLimit_BehindATrustedProxy_CountsEachRealClientSeparately()
    {
        await using var host = await TrackerHost.StartAsync(o => o with
        {
            TrustedProxies = [IPNetwork.Parse("127.0.0.0/8")],
            RegisterRateLimit = 1,
            RegisterRateWindow = TimeSpan.FromHours(1),
            RegisterBurst = 1,
        });
        using var first = ForwardingClient(host, "198.51.100.1");
        using var second = ForwardingClient(host, "198.51.100.2");

        await first.RegisterAsync(TestPeer.Create(), host.Token);
        await second.RegisterAsync(TestPeer.Create(), host.Token);
        using var limited = await first.PostAsync("/api/peers/register/challenge", null, host.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    private static HttpClient ForwardingClient(TrackerHost host, string forwardedFor = RealClient)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }
}
