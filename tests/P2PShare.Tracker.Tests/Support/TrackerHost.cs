using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>
/// The real tracker on a real Kestrel socket at 127.0.0.1 on a free port, with a fake clock and logs in the test
/// output. <see cref="Token"/> is the test's cancellation token with a hard limit (30 seconds unless the test needs
/// longer, as a fuzz run with a longer budget does).
/// </summary>
internal sealed class TrackerHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CancellationTokenSource _timeout;
    private readonly WebApplication _app;

    private TrackerHost(WebApplication app, FakeTimeProvider time, TrackerOptions options, Uri baseAddress, CancellationTokenSource timeout)
    {
        _app = app;
        _timeout = timeout;
        Time = time;
        Options = options;
        BaseAddress = baseAddress;
        Client = CreateClient();
    }

    public FakeTimeProvider Time { get; }

    public TrackerOptions Options { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public CancellationToken Token => _timeout.Token;

    public static async Task<TrackerHost> StartAsync(Func<TrackerOptions, TrackerOptions>? configure = null, TimeSpan? limit = null)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit ?? TimeSpan.FromSeconds(30));
        var time = new FakeTimeProvider(Start);
        var options = new TrackerOptions
        {
            Listen = ListenAddress.Parse("127.0.0.1:0")!,
            RegisterRateLimit = 0,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            KeyFile = Path.Combine(Path.GetTempPath(), $"p2pshare-tracker-{Guid.NewGuid():N}", "tracker.key"),
        };
        options = configure?.Invoke(options) ?? options;
        var app = TrackerApp.Create(options, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(new LogCapture(TestContext.Current.TestOutputHelper is { } output ? output.WriteLine : null, LogLevel.Debug));
        });
        await app.StartAsync(timeout.Token);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TrackerHost(app, time, options, new Uri(address), timeout);
    }

    public T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>A new client for this tracker, optionally sending an API key.</summary>
    public HttpClient CreateClient(string? apiKey = null, HttpMessageHandler? handler = null)
    {
        var client = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(TrackerHeaders.ApiKey, apiKey);
        }

        return client;
    }

    public Uri WebSocketUri(string pathAndQuery = "/ws") => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        _timeout.Dispose();
        if (Path.GetDirectoryName(Options.KeyFile) is { } keyDirectory && keyDirectory.Contains("p2pshare-tracker-", StringComparison.Ordinal) && Directory.Exists(keyDirectory))
        {
            Directory.Delete(keyDirectory, recursive: true);
        }
    }
}
