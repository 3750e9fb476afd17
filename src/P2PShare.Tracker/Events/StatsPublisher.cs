using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Events;

/// <summary>
/// Every stats interval, on the injected clock: adds a sample to the network history and sends a stats event to
/// /ws clients.
/// </summary>
internal sealed class StatsPublisher : BackgroundService
{
    private readonly PeriodicTimer _timer;
    private readonly EventHub _events;
    private readonly TrackerStats _stats;
    private readonly NetworkHistory _history;

    public StatsPublisher(EventHub events, TrackerStats stats, NetworkHistory history, TrackerOptions options, TimeProvider time)
    {
        _events = events;
        _stats = stats;
        _history = history;
        _timer = new PeriodicTimer(options.StatsInterval, time);
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                var stats = _stats.Snapshot();
                _history.Add(_stats.Sample(stats));
                if (_events.ClientCount > 0)
                {
                    _events.Publish(TrackerEventTypes.Stats, stats, TrackerApiJsonContext.Default.StatsEvent);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
