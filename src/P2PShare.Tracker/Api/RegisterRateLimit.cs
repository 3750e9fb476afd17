using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Api;

/// <summary>Per-client-IP limit on registrations (ASP.NET Core's rate limiter), answered with a 429 problem.</summary>
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
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RegisterRateLimit,
                    Window = options.RegisterRateWindow,
                    QueueLimit = 0,
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
                Detail = $"at most {options.RegisterRateLimit} registrations per {options.RegisterRateWindow.TotalSeconds:0} s from one address",
            },
        });
    }
}
