using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Client;

/// <summary>
/// Keeps this node registered: registers, heartbeats every interval the tracker asks for, registers again and
/// re-announces everything when the tracker forgot us (404, e.g. after a restart), and unregisters on dispose.
/// A tracker that is down is retried with backoff, and one that answers 429 after its Retry-After plus jitter;
/// the node keeps serving the peers it knows meanwhile. A tracker that refuses the first registration (401/403:
/// no or a wrong API key) fails <see cref="StartAsync"/> at once, since retrying cannot help.
/// </summary>
internal sealed partial class TrackerPresence : IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly TrackerClient _client;
    private readonly PeerIdentity _identity;
    private readonly Func<RegisterRequest> _registration;
    private readonly Func<CancellationToken, Task> _announceAll;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<HeartbeatStats>? _stats;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private TimeSpan _interval = TimeSpan.FromSeconds(30);
    private int _announcePending;

    private TimeSpan? _retryAfter;

    public TrackerPresence(TrackerClient client, PeerIdentity identity, Func<RegisterRequest> registration, Func<CancellationToken, Task> announceAll, TimeProvider time, ILogger logger, Func<HeartbeatStats>? stats = null)
    {
        _stats = stats;
        _client = client;
        _identity = identity;
        PeerId = identity.PeerId;
        _registration = registration;
        _announceAll = announceAll;
        _time = time;
        _logger = logger;
    }

    /// <summary>The token of the current registration, or null while the tracker is unreachable.</summary>
    public string? Token { get; private set; }

    public bool Connected { get; private set; }

    /// <summary>An announce or withdraw was lost (tracker briefly down): announce everything after the next good heartbeat.</summary>
    public void RequestFullAnnounce() => Interlocked.Exchange(ref _announcePending, 1);

    public string PeerId { get; }

    /// <summary>
    /// Registers once (without failing when the tracker is down) and starts the heartbeat loop. Throws
    /// <see cref="TrackerException"/> when the tracker refuses this peer (401/403).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryRegisterAsync(cancellationToken, throwOnRefusal: true);
        _loop = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        TimeSpan retry = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Connected ? _interval : NextDelay(retry), _time, ct);
                bool ok = Token is not null && await _client.HeartbeatAsync(HeartbeatStats.Request(PeerId, _stats), Token, ct);
                if (ok && Interlocked.Exchange(ref _announcePending, 0) == 1)
                {
                    await _announceAll(ct);
                }

                Connected = ok || await TryRegisterAsync(ct);
                retry = Connected ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, Math.Min(MaxRetryDelay.Ticks, _interval.Ticks)));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (TrackerException ex)
            {
                Connected = false;
                _retryAfter = ex.RetryAfter;
                Log.TrackerUnreachable(_logger, ex.Message);
            }
        }
    }

    /// <summary>The retry delay, or the tracker's Retry-After with up to half again of random jitter, so many peers do not return together.</summary>
    private TimeSpan NextDelay(TimeSpan retry)
    {
        if (_retryAfter is not { } after)
        {
            return retry;
        }

        _retryAfter = null;
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Max(1000, after.TotalMilliseconds / 2));
        return after + jitter;
    }

    private async Task<bool> TryRegisterAsync(CancellationToken ct, bool throwOnRefusal = false)
    {
        try
        {
            var response = await _client.RegisterAsync(_registration(), _identity, ct);
            Token = response.Token;
            _interval = TimeSpan.FromSeconds(Math.Max(1, response.HeartbeatIntervalSeconds));
            Connected = true;
            Log.Registered(_logger, _client.BaseAddress, response.ObservedAddress, response.HeartbeatIntervalSeconds);
            await _announceAll(ct);
            return true;
        }
        catch (TrackerException ex) when (!(throwOnRefusal && ex.IsRefusal))
        {
            Connected = false;
            _retryAfter = ex.RetryAfter;
            Log.TrackerUnreachable(_logger, ex.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        if (Token is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _client.UnregisterAsync(PeerId, Token, timeout.Token);
            }
            catch (Exception ex) when (ex is TrackerException or OperationCanceledException)
            {
                Log.UnregisterFailed(_logger, ex.Message);
            }
        }

        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "registered with tracker {Tracker} as {ObservedAddress}, heartbeat every {Interval} s")]
        public static partial void Registered(ILogger logger, Uri tracker, string observedAddress, int interval);

        [LoggerMessage(2, LogLevel.Warning, "tracker: {Reason}; retrying")]
        public static partial void TrackerUnreachable(ILogger logger, string reason);

        [LoggerMessage(3, LogLevel.Debug, "could not unregister from the tracker: {Reason}")]
        public static partial void UnregisterFailed(ILogger logger, string reason);
    }
}
