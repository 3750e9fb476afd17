using Microsoft.Extensions.Logging;
using P2PShare.Core.Crypto;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Client;

/// <summary>
/// Keeps this node registered: registers, heartbeats every interval the tracker asks for, registers again and
/// re-announces everything when the tracker forgot us (404, e.g. after a restart), and unregisters on dispose.
/// Any call that finds the tracker unreachable makes the next heartbeat happen at once; while the tracker is down
/// it is probed with a back-off capped at <see cref="MaxRetryDelay"/>, so a restarted tracker is noticed within
/// about two seconds, and registrations after it are spread by up to <see cref="MaxRegisterJitter"/>. A tracker
/// that answers 429 is retried after its Retry-After plus jitter. An outage is logged once when it starts and once
/// when it ends. A tracker that refuses the first registration (401/403: no or a wrong API key) fails
/// <see cref="StartAsync"/> at once, since retrying cannot help.
/// </summary>
internal sealed partial class TrackerPresence : IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRegisterJitter = TimeSpan.FromMilliseconds(750);

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
    private int _reregisterPending;
    private TaskCompletionSource _wake = NewWake();
    private long? _outageSince;

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
        _client.Unreachable += Wake;
    }

    /// <summary>The token of the current registration, or null while the tracker is unreachable.</summary>
    public string? Token { get; private set; }

    /// <summary>Raised after every successful registration with the tracker's answer (its rendezvous ports, for one).</summary>
    public event Action<RegisterResponse>? Registered;

    public bool Connected { get; private set; }

    /// <summary>An announce or withdraw was lost (tracker briefly down): announce everything after the next good heartbeat.</summary>
    public void RequestFullAnnounce() => Interlocked.Exchange(ref _announcePending, 1);

    /// <summary>
    /// Registers again now (after a short random delay) and re-announces everything, without waiting for the next
    /// heartbeat: for a caller that knows the tracker lost its state, e.g. its connection to the tracker dropped.
    /// </summary>
    public void RequestReregister()
    {
        Interlocked.Exchange(ref _reregisterPending, 1);
        Wake();
    }

    /// <summary>
    /// Sends the next heartbeat now instead of at the end of the interval, when the node's connections changed in a
    /// way the tracker's records and event feed should show at once (a peer moved off the relay). Calls made while one
    /// such heartbeat is pending share it; nothing is sent while the tracker is unreachable.
    /// </summary>
    public void ReportSoon() => Wake();

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
        TimeSpan retry = FirstRetryDelay;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (Connected)
                {
                    await WaitAsync(_interval, ct);
                }
                else
                {
                    await Task.Delay(NextDelay(retry), _time, ct); // failed calls elsewhere do not shorten the back-off
                }

                bool reregister = Interlocked.Exchange(ref _reregisterPending, 0) == 1;
                bool ok = !reregister && Token is not null && await _client.HeartbeatAsync(HeartbeatStats.Request(PeerId, _stats), Token, ct);
                if (ok)
                {
                    TrackerBack();
                    if (Interlocked.Exchange(ref _announcePending, 0) == 1)
                    {
                        await _announceAll(ct);
                    }
                }
                else if (reregister || Token is not null)
                {
                    // Forgotten (restart) or asked to: register again, spread out so many peers do not arrive together.
                    // Without a token the last registration failed and the back-off delay above was already jittered.
                    await Task.Delay(Jitter(MaxRegisterJitter), _time, ct);
                }

                Connected = ok || await TryRegisterAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (TrackerException ex)
            {
                Connected = false;
                _retryAfter = ex.RetryAfter;
                TrackerDown(ex.Message);
            }

            retry = Connected ? FirstRetryDelay : TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Waits <paramref name="delay"/>, or less when someone found the tracker unreachable, asked to register again or to report now.</summary>
    private async Task WaitAsync(TimeSpan delay, CancellationToken ct)
    {
        var wake = Volatile.Read(ref _wake);
        if (!wake.Task.IsCompleted)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await Task.WhenAny(wake.Task, Task.Delay(delay, _time, waiting.Token));
            await waiting.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }

        if (wake.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _wake, NewWake(), wake);
        }
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The retry delay less up to a quarter, or the tracker's Retry-After with up to half again of random jitter.</summary>
    private TimeSpan NextDelay(TimeSpan retry)
    {
        if (_retryAfter is not { } after)
        {
            return retry - Jitter(retry / 4);
        }

        _retryAfter = null;
        return after + Jitter(TimeSpan.FromMilliseconds(Math.Max(1000, after.TotalMilliseconds / 2)));
    }

    private static TimeSpan Jitter(TimeSpan atMost) => TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * atMost.Ticks));

    private void TrackerDown(string reason)
    {
        if (_outageSince is null)
        {
            _outageSince = _time.GetTimestamp();
            Log.TrackerUnreachable(_logger, reason, MaxRetryDelay.TotalSeconds);
        }
    }

    private void TrackerBack()
    {
        if (_outageSince is { } since)
        {
            _outageSince = null;
            Log.TrackerBack(_logger, _client.BaseAddress, _time.GetElapsedTime(since).TotalSeconds);
        }
    }

    private async Task<bool> TryRegisterAsync(CancellationToken ct, bool throwOnRefusal = false)
    {
        try
        {
            var response = await _client.RegisterAsync(_registration(), _identity, ct);
            Token = response.Token;
            Registered?.Invoke(response);
            _interval = TimeSpan.FromSeconds(Math.Max(1, response.HeartbeatIntervalSeconds));
            Connected = true;
            TrackerBack();
            Log.Registered(_logger, _client.BaseAddress, response.ObservedAddress, response.HeartbeatIntervalSeconds);
            await _announceAll(ct);
            return true;
        }
        catch (TrackerException ex) when (!(throwOnRefusal && ex.IsRefusal))
        {
            Connected = false;
            _retryAfter = ex.RetryAfter;
            TrackerDown(ex.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Unreachable -= Wake;
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

        [LoggerMessage(2, LogLevel.Warning, "tracker: {Reason}; retrying every {Seconds} s or sooner until it answers")]
        public static partial void TrackerUnreachable(ILogger logger, string reason, double seconds);

        [LoggerMessage(4, LogLevel.Information, "tracker {Tracker} answers again after {Seconds:0.0} s")]
        public static partial void TrackerBack(ILogger logger, Uri tracker, double seconds);

        [LoggerMessage(3, LogLevel.Debug, "could not unregister from the tracker: {Reason}")]
        public static partial void UnregisterFailed(ILogger logger, string reason);
    }
}
