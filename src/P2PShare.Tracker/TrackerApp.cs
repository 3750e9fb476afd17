using System.Net;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Api;
using P2PShare.Tracker.Auth;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Dashboard;
using P2PShare.Tracker.Events;
using P2PShare.Tracker.Metrics;
using P2PShare.Tracker.Relay;
using P2PShare.Tracker.Storage;
using P2PShare.Tracker.Swarm;
using Prometheus;

namespace P2PShare.Tracker;

/// <summary>Builds the tracker's web application: services, middleware and endpoints.</summary>
internal static partial class TrackerApp
{
    /// <summary>
    /// Builds (but does not start) the tracker. <paramref name="configure"/> runs last, so tests can replace
    /// services such as the <see cref="TimeProvider"/> or the logging providers.
    /// </summary>
    public static WebApplication Create(TrackerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            Listen(kestrel, options.Listen, TrackerTls.Configure(options));
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        AddServices(builder.Services, options);
        configure?.Invoke(builder);

        var app = builder.Build();

        // Loaded now, so a damaged or unreadable key file stops the tracker at start with its message.
        app.Services.GetRequiredService<TrackerKey>();
        UsePipeline(app, options);
        MapEndpoints(app);
        WarnIfOpen(app);
        return app;
    }

    private static void AddServices(IServiceCollection services, TrackerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPeerRegistry, InMemoryPeerRegistry>();
        services.AddSingleton<IFileCatalog, InMemoryFileCatalog>();
        services.AddSingleton<Liveness>();
        services.AddSingleton<TrackerMetrics>();
        services.AddSingleton<EventHub>();
        services.AddSingleton<TrackerStats>();
        services.AddSingleton<NetworkHistory>();
        services.AddSingleton<PeerService>();
        services.AddSingleton<FileService>();
        services.AddSingleton<ApiKeySet>();
        services.AddSingleton<TrackerKey>();
        services.AddSingleton<RegistrationChallenges>();
        services.AddSingleton<RelayHub>();
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LargeBlockMemoryPool.Factory>();
        services.AddHostedService<ExpirySweeper>();
        services.AddHostedService<StatsPublisher>();
        services.AddSingleton<Rendezvous.RendezvousServer>();
        services.AddHostedService(sp => sp.GetRequiredService<Rendezvous.RendezvousServer>());
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, TrackerApiJsonContext.Default));
        services.AddProblemDetails();
        services.AddRegisterRateLimit(options);
        services.AddOpenApi();
    }

    private static void UsePipeline(WebApplication app, TrackerOptions options)
    {
        app.UseTrustedForwardedHeaders(options);
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseRouting();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        app.UseWebSockets();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapHealth();
        var api = app.MapGroup("/api");
        api.MapPeerEndpoints();
        api.MapFileEndpoints();
        api.MapStatsEndpoints();
        app.MapEventStream();
        app.MapRelay();
        app.MapDashboard();
        app.MapOpenApi();
        app.MapMetrics("/metrics", app.Services.GetRequiredService<TrackerMetrics>().Registry);
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, ListenAddress listen, Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> configure)
    {
        switch (listen)
        {
            case { IsLocalhost: true, Port: > 0 }:
                kestrel.ListenLocalhost(listen.Port, configure);
                break;
            case { IsLocalhost: true }:
                kestrel.Listen(IPAddress.Loopback, 0, configure);
                break;
            case { Address: null }:
                kestrel.ListenAnyIP(listen.Port, configure);
                break;
            default:
                kestrel.Listen(listen.Address, listen.Port, configure);
                break;
        }
    }

    private static void WarnIfOpen(WebApplication app)
    {
        if (!app.Services.GetRequiredService<ApiKeySet>().IsEnabled)
        {
            Log.Open(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TrackerApp)));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "API_KEYS is not set: /api, /ws and /relay are open to anyone who can reach this tracker")]
        public static partial void Open(ILogger logger);
    }
}
