using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Crypto;
using P2PShare.Core.TrackerApi;
using P2PShare.Peer.Client;

namespace P2PShare.Peer.Tests.Client;

/// <summary>TrackerPresence against a real HTTP listener on 127.0.0.1 that answers like a tracker under load or without a key.</summary>
public sealed class TrackerPresenceRetryTests
{
    [Fact]
    public async Task Register_TrackerAnswers429WithRetryAfter_WaitsThatLongBeforeTheNextTry()
    {
        await using var tracker = await StubTracker.StartAsync(HttpStatusCode.TooManyRequests, retryAfterSeconds: 30);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var identity = PeerIdentity.Generate();
        using var http = TrackerClient.CreateHttpClient(tracker.Url, null);
        await using var presence = new TrackerPresence(new TrackerClient(http), identity, () => Registration(identity), _ => Task.CompletedTask, time, NullLogger.Instance);

        await presence.StartAsync(TestContext.Current.CancellationToken);
        await tracker.WaitForRequestsAsync(1);

        // Without Retry-After the presence would have retried after 1, 2, 4 and 5 s by now.
        for (int i = 0; i < 29; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        await Task.Delay(200, TestContext.Current.CancellationToken);
        int beforeRetryAfter = tracker.Requests;
        time.Advance(TimeSpan.FromSeconds(46)); // past 30 s plus the most jitter (half again)
        await tracker.WaitForRequestsAsync(2);

        Assert.Equal(1, beforeRetryAfter);
        Assert.False(presence.Connected);
    }

    [Fact]
    public async Task Start_TrackerRefusesWith401_FailsAtOnceNamingTheKeySettings()
    {
        await using var tracker = await StubTracker.StartAsync(HttpStatusCode.Unauthorized);
        using var identity = PeerIdentity.Generate();
        using var http = TrackerClient.CreateHttpClient(tracker.Url, null);
        await using var presence = new TrackerPresence(new TrackerClient(http), identity, () => Registration(identity), _ => Task.CompletedTask, new FakeTimeProvider(), NullLogger.Instance);

        var refused = await Assert.ThrowsAsync<TrackerException>(() => presence.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("-api-key", refused.Message);
        Assert.Contains("API_KEY_FILE", refused.Message);
        Assert.Equal(1, tracker.Requests);
    }

    private static RegisterRequest Registration(PeerIdentity identity) => new()
    {
        PeerId = identity.PeerId,
        PublicKey = Convert.ToHexStringLower(identity.PublicKey.Span),
        Port = 6881,
    };

    /// <summary>Answers every request with one status (and Retry-After), counting requests.</summary>
    private sealed class StubTracker : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Task _loop;
        private int _requests;

        private StubTracker(HttpListener listener, Uri url, HttpStatusCode status, int retryAfterSeconds)
        {
            _listener = listener;
            Url = url;
            _loop = ServeAsync(status, retryAfterSeconds);
        }

        public Uri Url { get; }

        public int Requests => Volatile.Read(ref _requests);

        public static Task<StubTracker> StartAsync(HttpStatusCode status, int retryAfterSeconds = 0)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(url.ToString());
            listener.Start();
            return Task.FromResult(new StubTracker(listener, url, status, retryAfterSeconds));
        }

        public async Task WaitForRequestsAsync(int count)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(20));
            while (Requests < count)
            {
                await Task.Delay(20, limit.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
            }

            _listener.Close();
        }

        private async Task ServeAsync(HttpStatusCode status, int retryAfterSeconds)
        {
            while (_listener.IsListening)
            {
                var context = await _listener.GetContextAsync();
                Interlocked.Increment(ref _requests);
                context.Response.StatusCode = (int)status;
                context.Response.ContentType = "application/problem+json";
                if (retryAfterSeconds > 0)
                {
                    context.Response.Headers["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                byte[] body = System.Text.Encoding.UTF8.GetBytes($"{{\"status\":{(int)status},\"detail\":\"stub says {(int)status}\"}}");
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
