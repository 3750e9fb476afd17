using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Api;

/// <summary>
/// Per-client-IP limit on registration challenges (so on registrations), a token bucket from ASP.NET Core's rate
/// limiter: <see cref="TrackerOptions.RegisterBurst"/> at once, refilled at <see cref="TrackerOptions.RegisterRateLimit"/>
/// per window. Over the limit the answer is a 429 problem with Retry-After. The client IP is the one after
/// forwarded headers from trusted proxies are applied.
/// </summary>
internal static class RegisterRateLimit
{
    public const string PolicyName = "register";

    public static IServiceCollection AddRegisterRateLimit(this IServiceCollection services, TrackerOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(PolicyName, context =>
            {
                if (options.RegisterRateLimit == 0)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                string client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RegisterBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = options.RegisterRateWindow / options.RegisterRateLimit,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var options = context.RequestServices.GetRequiredService<TrackerOptions>();
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"too many registrations from one address: {options.RegisterBurst} at once, then {options.RegisterRateLimit} per {options.RegisterRateWindow.TotalSeconds:0} s; retry after the time in Retry-After",
            },
        });
    }
}
